import { test, expect, call, serviceWorkerReady, signIn, unique } from "./fixtures";

test.describe("posting, commenting and reacting", () => {
  test("a member posts Markdown in a channel, comments, replies and reacts @nojs @storage", async ({ page }, testInfo) => {
    // Each project writes its own words, so runs side by side tell their posts apart.
    const tag = unique("post", testInfo.project.name);
    await signIn(page, "priya.nair@saomai.example");
    await page.goto("/channels/coffee");
    await expect(page.getByRole("heading", { level: 1, name: "#ca-phe" })).toBeVisible();

    // An empty post is refused with its reason; nothing is posted.
    await page.getByLabel("Post", { exact: true }).fill("   ");
    await page.getByRole("button", { name: "Post", exact: true }).click();
    await expect(page.getByRole("alert")).toHaveText("Post is required.");

    await page.getByLabel("Post", { exact: true }).fill(`**Bánh mì** ${tag} <script>window.pwned = 1</script>\n\n- [x] đặt bàn`);
    await page.locator('select[name="kind"]').selectOption({ label: "Question" });
    await page.getByRole("button", { name: "Post", exact: true }).click();
    const post = page.locator(".post", { hasText: tag });
    await expect(post).toHaveCount(1);
    await expect(post.locator(".post-body strong")).toHaveText("Bánh mì");
    await expect(post.locator(".post-body input[type=checkbox]")).toBeChecked();
    await expect(post.locator(".post-body script")).toHaveCount(0);
    await expect(post.locator(".kind")).toHaveText("Question");

    // An answer (under a question, a comment is one), then a reply to it.
    await post.getByRole("textbox", { name: "Write an answer" }).fill(`Ai đi cùng không? ${tag}`);
    await post.getByRole("button", { name: "Answer", exact: true }).click();
    const comment = page.locator(".post", { hasText: tag }).locator(".comment").first();
    await expect(comment).toContainText("Ai đi cùng không?");
    await comment.locator("summary", { hasText: "Reply" }).click();
    await comment.getByRole("textbox", { name: "Write a reply" }).fill("Tôi đi!");
    await comment.getByRole("button", { name: "Reply", exact: true }).click();
    const reply = page.locator(".post", { hasText: tag }).locator(".comment-reply");
    await expect(reply).toContainText("Tôi đi!");

    // Reacting toggles: once on, once off.
    const card = page.locator(".post", { hasText: tag });
    await card.locator(".add-reaction summary").click();
    await card.locator('.reaction-picker [data-emoji="🎉"]').click();
    const party = page.locator(".post", { hasText: tag }).locator('.reactions > .reaction-wrap [data-emoji="🎉"]');
    await expect(party).toHaveAttribute("aria-pressed", "true");
    await expect(party).toContainText("1");
    await party.click();
    await expect(page.locator(".post", { hasText: tag }).locator('.reactions > .reaction-wrap [data-emoji="🎉"]')).toHaveCount(0);

    // Announcement channels take posts from their admins only.
    await page.goto("/channels/announcements");
    await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
    await expect(page.getByLabel("Post", { exact: true })).toHaveCount(0);
  });

  test("the feed has a composer too: choose the channel, post, and it is on top @nojs", async ({ page }, testInfo) => {
    const tag = unique("feed-post", testInfo.project.name);
    await signIn(page, "sarah.johnson@saomai.example");
    await page.goto("/");
    const channel = page.locator('.composer select[name="channel"]');
    // Only channels she may post in: not the announcement channel, not the private one.
    await expect(channel.locator("option", { hasText: "#ban-dieu-hanh" })).toHaveCount(0);
    await expect(channel.locator("option", { hasText: "#thong-bao" })).toHaveCount(0);
    // The composer is one line until it is used: the channel is chosen once it opens.
    await expect(channel).toBeHidden();
    await page.getByLabel("Post", { exact: true }).fill(`Cà phê sữa đá ${tag}`);
    await channel.selectOption({ label: "#ca-phe" });
    await page.getByRole("button", { name: "Post", exact: true }).click();
    const post = page.locator(".posts .post", { hasText: tag });
    await expect(post).toHaveCount(1);
    await expect(post.locator('.post-where a[href^="/channels/"]')).toHaveText("#ca-phe");
    await expect(page.getByLabel("Post", { exact: true })).toHaveValue("");
  });

  test("a post written offline goes out once when the network returns, even when its first send is retried", async ({ page, context, consoleErrors }, testInfo) => {
    const tag = unique("offline", testInfo.project.name);
    await signIn(page, "sarah.johnson@saomai.example");
    await page.goto("/channels/coffee");
    await expect(page.locator("[data-composer]")).toHaveAttribute("data-hydrated", "true");
    const box = page.getByLabel("Post", { exact: true });
    const posts = (words: string) => page.locator(".posts .post", { hasText: words });
    await serviceWorkerReady(page);

    // No network: the post waits on the device, and the box is free again.
    await context.setOffline(true);
    await box.fill(`Viết khi mất mạng ${tag}`);
    await page.getByRole("button", { name: "Post", exact: true }).click();
    await expect(page.getByText("Saved on this device: it goes out when you are back online.")).toBeVisible();
    await expect(box).toHaveValue("");
    await expect(posts(`Viết khi mất mạng ${tag}`)).toHaveCount(0);
    // The network returns: it goes out, once.
    await context.setOffline(false);
    await expect(posts(`Viết khi mất mạng ${tag}`)).toHaveCount(1);

    // The server takes a post but its answer is lost: the post waits, is sent again
    // with the same id, and is written once.
    let lost = false;
    await page.route("**/api/posts/create", async (route) => {
      if (lost) return route.continue();
      lost = true;
      await route.fetch();
      await route.abort("internetdisconnected");
    });
    await box.fill(`Câu trả lời bị mất ${tag}`);
    await page.getByRole("button", { name: "Post", exact: true }).click();
    // The earlier status went when this send began; this one says the post is kept.
    await expect(box).toHaveValue("");
    await expect(page.getByText("Saved on this device: it goes out when you are back online.")).toBeVisible();
    // A page that opens sends what waits: the same post, again, with its id.
    const resent = page.waitForResponse((r) => r.url().endsWith("/api/posts/create"), { timeout: 20_000 });
    await page.reload();
    expect((await resent).status()).toBe(200);
    await expect(posts(`Câu trả lời bị mất ${tag}`)).toHaveCount(1);
    await page.reload();
    await expect(posts(`Câu trả lời bị mất ${tag}`)).toHaveCount(1);
    await expect(posts(`Viết khi mất mạng ${tag}`)).toHaveCount(1);

    // A proxy answers for Townhall while it restarts (a 502 without Townhall's words):
    // the post is kept, not lost, and goes out from the next page.
    await page.route(
      "**/api/posts/create",
      (route) => route.fulfill({ status: 502, contentType: "text/html", body: "<h1>502 Bad Gateway</h1>" }),
      { times: 1 },
    );
    await box.fill(`Qua cổng lỗi ${tag}`);
    await page.getByRole("button", { name: "Post", exact: true }).click();
    await expect(box).toHaveValue("");
    await expect(page.getByText("Saved on this device: it goes out when you are back online.")).toBeVisible();
    await page.reload();
    await expect(posts(`Qua cổng lỗi ${tag}`)).toHaveCount(1);
    // The sends that found no network, and the proxy's 502, are logged by the browser;
    // those are expected.
    const unexpected = consoleErrors.filter((e) => !e.includes("ERR_INTERNET_DISCONNECTED") && !e.includes("status of 502"));
    consoleErrors.splice(0, consoleErrors.length, ...unexpected);
  });

  test("a comment written offline on a post deleted meanwhile comes back to its author, with the reason", async ({ page, context, consoleErrors }, testInfo) => {
    const tag = unique("refused", testInfo.project.name);
    await signIn(page, "sarah.johnson@saomai.example");
    const posted = await call<{ id: number }>(page, "posts/create", { channel: "coffee", kind: "update", body: `Sắp xoá ${tag}` });
    await page.goto("/channels/coffee");
    await expect(page.locator("[data-composer]")).toHaveAttribute("data-hydrated", "true");
    const card = page.locator(".posts .post", { hasText: tag });
    await serviceWorkerReady(page);
    await context.setOffline(true);
    await card.getByRole("textbox", { name: "Write a comment" }).fill(`Bình luận giữ lại ${tag}`);
    await card.getByRole("button", { name: "Comment", exact: true }).click();
    await expect(card.getByText("Saved on this device: it goes out when you are back online.")).toBeVisible();
    // Meanwhile the post goes (its author deletes it elsewhere; these requests are not
    // the browser's, so they are online).
    await call(page, "posts/delete", { post: String(posted.id) });
    await context.setOffline(false);
    const refused = page.locator(".kept-refused");
    await expect(refused).toContainText("Something you wrote offline could not be sent.");
    await expect(refused).toContainText("That item does not exist or has been removed.");
    await expect(refused.locator("blockquote")).toHaveText(`Bình luận giữ lại ${tag}`);
    // It was sent once and dropped from the outbox: the next page says nothing more.
    await page.reload();
    await expect(page.locator(".posts .post", { hasText: tag })).toHaveCount(0);
    await expect(page.locator(".kept-refused")).toHaveCount(0);
    const unexpected = consoleErrors.filter((e) => !e.includes("ERR_INTERNET_DISCONNECTED"));
    consoleErrors.splice(0, consoleErrors.length, ...unexpected);
  });

  test("the preview shows the rendered Markdown before posting", async ({ page }) => {
    await signIn(page, "lucas.martin@saomai.example");
    await page.goto("/channels/coffee");
    await page.getByLabel("Post", { exact: true }).fill("# Tiêu đề\n\n| a | b |\n|---|---|\n| 1 | 2 |");
    await page.getByRole("button", { name: "Preview" }).click();
    await expect(page.locator(".preview h1")).toHaveText("Tiêu đề");
    await expect(page.locator(".preview td")).toHaveText(["1", "2"]);
  });
});

test.describe("editing, pinning and deleting", () => {
  test("the author edits a post, and its earlier text stays readable @nojs", async ({ page }, testInfo) => {
    const tag = unique("edit", testInfo.project.name);
    await signIn(page, "tran.minh.quan@saomai.example");
    await page.goto("/channels/coffee");
    await page.getByLabel("Post", { exact: true }).fill(`Bản nháp ${tag}`);
    await page.getByRole("button", { name: "Post", exact: true }).click();
    const card = () => page.locator(".posts .post", { hasText: tag });
    await expect(card()).toHaveCount(1);

    await card().locator(".post-menu > summary").click();
    await card().locator(".edit-post > summary").click();
    await card().getByRole("textbox", { name: "Edit" }).fill(`Bản chính thức ${tag}`);
    await card().getByRole("button", { name: "Save changes" }).click();
    await expect(card().locator(".post-body")).toContainText("Bản chính thức");
    await expect(card().locator(".edited")).toHaveText("edited");

    // From a fresh render: with JavaScript the edit saves in place and may leave the
    // card's menu open, so a click on its summary would close it.
    await page.goto("/channels/coffee");
    await card().locator(".post-menu > summary").click();
    await card().getByRole("link", { name: "Earlier versions" }).click();
    await expect(page.getByRole("heading", { level: 1, name: "Earlier versions" })).toBeVisible();
    await expect(page.locator(".version")).toHaveCount(1);
    await expect(page.locator(".version")).toContainText(`Bản nháp ${tag}`);
    await expect(page.locator(".version time"), "in the company's time, like every other time").not.toContainText("UTC");
  });

  test("a company admin pins a post to its channel; the author deletes it @nojs", async ({ page }, testInfo) => {
    const tag = unique("pin", testInfo.project.name);
    await signIn(page, "tran.minh.quan@saomai.example");
    // Posting through the composer is the tests' above; here it is set-up.
    await call(page, "posts/create", { channel: "coffee", kind: "update", body: `Ghim ${tag}` });
    await page.goto("/channels/coffee");
    const card = () => page.locator(".posts .post", { hasText: tag });
    await card().locator(".post-menu > summary").click();
    await card().getByRole("button", { name: "Pin to the channel" }).click();
    const pinned = page.locator(".pinned .post", { hasText: tag });
    await expect(pinned).toHaveCount(1);

    // From a fresh render, as a reader arriving later (the pin acts in place with
    // JavaScript and may leave the menu open).
    await page.goto("/channels/coffee");
    await card().locator(".post-menu > summary").click();
    await card().getByRole("button", { name: "Delete post" }).click();
    // The card deleted from goes at once (its pinned copy follows by the live stream);
    // the next render has neither.
    await expect(page.locator(".posts .post:not(.post-gone)", { hasText: tag })).toHaveCount(0);
    await page.goto("/channels/coffee");
    await expect(page.locator(".post", { hasText: tag })).toHaveCount(0);
  });

  test("members see no menu on others' posts", async ({ page }) => {
    await signIn(page, "priya.nair@saomai.example");
    await page.goto("/channels/announcements");
    await expect(page.locator(".post").first()).toBeVisible();
    await expect(page.locator(".post .post-menu")).toHaveCount(0);
  });
});

test("a profile lists the person's posts that the reader may see @nojs", async ({ page }, testInfo) => {
  const tag = unique("profile-post", testInfo.project.name);
  await signIn(page, "lucas.martin@saomai.example");
  await page.goto("/channels/coffee");
  await page.getByLabel("Post", { exact: true }).fill(`Cuối tuần ${tag}`);
  await page.getByRole("button", { name: "Post", exact: true }).click();
  await expect(page.locator(".posts .post", { hasText: tag })).toHaveCount(1);
  await page.getByRole("banner").getByRole("link", { name: "Lucas Martin" }).click();
  const posts = page.locator(".person-posts .post");
  await expect(posts.filter({ hasText: tag })).toHaveCount(1);
  expect(new Set(await posts.locator(".post-author").allTextContents())).toEqual(new Set(["Lucas Martin"]));
});
