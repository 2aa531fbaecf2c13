import { test, expect, call, privateChannelWith, signIn, unique } from "./fixtures";

test.describe("reading the feed", () => {
  test("what others posted since I last looked is counted and marked New; reactions name who reacted @nojs @storage", async ({
    page,
    browser,
  }, testInfo) => {
    const { baseURL, javaScriptEnabled } = testInfo.project.use;
    const name = unique("Reading", testInfo.project.name);
    await signIn(page, "emily.chen@saomai.example");
    const path = await privateChannelWith(page, name, "Tom Becker");
    await page.goto(path);
    await expect(page.locator(".post")).toHaveCount(0);

    const tomDevice = await browser.newContext({ baseURL, javaScriptEnabled });
    const tom = await tomDevice.newPage();
    await signIn(tom, "tom.becker@saomai.example");
    await tom.goto(path);
    await tom.getByLabel("Post", { exact: true }).fill(`Hello ${name}`);
    await tom.getByRole("button", { name: "Post", exact: true }).click();
    const tomsCard = tom.locator(".post", { hasText: `Hello ${name}` });
    await expect(tomsCard).toHaveCount(1);
    await expect(tomsCard.locator(".unread-badge"), "one's own posts are never new").toHaveCount(0);

    // Emily's channel list counts it; her channel page marks it, once.
    await page.goto("/channels");
    const item = page.locator(`li.channel[id="${name.toLowerCase()}"]`);
    await expect(item.locator(".unread-count")).toHaveText("1 new");
    await item.getByRole("link", { name: `#${name}` }).click();
    const card = page.locator(".post", { hasText: `Hello ${name}` });
    await expect(card.locator(".unread-badge")).toHaveText("New");
    await expect(page.getByTestId("unread-since")).toHaveText("1 new post since you last looked");
    await page.goto("/channels");
    await expect(item).toBeVisible();
    await expect(item.locator(".unread-count")).toHaveCount(0);
    await page.goto(path);
    await expect(card).toHaveCount(1);
    await expect(card.locator(".unread-badge")).toHaveCount(0);

    // She reacts; Tom sees who did when he points at the reaction.
    await card.locator(".add-reaction summary").click();
    await card.locator('.reaction-picker button[data-emoji="🎉"]').click();
    await expect(card.locator('.reactions > .reaction-wrap button[data-emoji="🎉"]')).toHaveAttribute("aria-pressed", "true");
    await tom.goto(path);
    const reaction = tomsCard.locator('.reactions > .reaction-wrap', { has: tom.locator('button[data-emoji="🎉"]') });
    await expect(reaction.locator(".reactors")).toBeHidden();
    await reaction.locator("button").hover();
    await expect(reaction.locator(".reactors")).toBeVisible();
    await expect(reaction.locator(".reactors")).toHaveText("Emily Chen");
    await expect(reaction.locator("button")).toHaveAccessibleDescription("Emily Chen");
    await tomDevice.close();
  });

  test("older posts arrive as the reader scrolls, or a page at a time without JavaScript @nojs @storage", async ({ page }, testInfo) => {
    await signIn(page, "sarah.johnson@saomai.example");
    await page.goto("/company");
    const cards = page.locator(".posts > .post");
    await expect(cards).toHaveCount(20);
    const first = await cards.evaluateAll((list) => list.map((c) => c.getAttribute("data-post-id")));
    if (testInfo.project.use.javaScriptEnabled === false) {
      await page.getByRole("link", { name: "Older posts" }).click();
      await expect(page).toHaveURL(/\?before=/);
      await expect(cards.first()).toBeVisible();
      const older = await cards.evaluateAll((list) => list.map((c) => c.getAttribute("data-post-id")));
      expect(older.length).toBeGreaterThan(0);
      expect(older.filter((id) => first.includes(id))).toEqual([]);
      // An older page is only posts: pins stay on the first page, and the way back is one link.
      await expect(page.locator(".post-pinned")).toHaveCount(0);
      await expect(page.getByRole("link", { name: "Back to the newest posts" })).toBeVisible();
      return;
    }
    await expect(page.locator("html")).toHaveAttribute("data-live", "open");
    await page.locator(".pager").scrollIntoViewIfNeeded();
    await expect.poll(() => cards.count()).toBeGreaterThan(20);
    expect(new URL(page.url()).search, "the address stays the feed's").toBe("");
    const all = await cards.evaluateAll((list) => list.map((c) => c.getAttribute("data-post-id")));
    expect(new Set(all).size, "no post twice").toBe(all.length);
    expect(all.slice(0, 20)).toEqual(first);
  });

  test("search finds words typed without diacritics, in archived channels for their members only @nojs @storage", async ({ page, browser }, testInfo) => {
    const { baseURL, javaScriptEnabled } = testInfo.project.use;
    const name = unique("Archive", testInfo.project.name);
    const word = `xuat${Math.random().toString(36).replace(/[^a-z]/g, "").slice(0, 6)}`;
    await signIn(page, "emily.chen@saomai.example");
    const path = await privateChannelWith(page, name, "Tom Becker");
    await page.goto(path);
    await page.getByLabel("Post", { exact: true }).fill(`Đề ${word.replace("xuat", "xuất")} cho quý sau`);
    await page.getByRole("button", { name: "Post", exact: true }).click();
    await expect(page.locator(".post", { hasText: "cho quý sau" })).toHaveCount(1);
    // Archiving through its button is the channel tests' subject; here it is set-up.
    await call(page, "channels/archive", { slug: path.split("/").pop()!, archived: "true" });

    const search = async (who: typeof page, words: string) => {
      await who.goto("/search");
      await who.getByRole("searchbox", { name: "Search everything" }).fill(words);
      await who.getByRole("button", { name: "Search", exact: true }).click();
      await expect(who).toHaveURL(/\/search\?q=/);
    };
    const tomDevice = await browser.newContext({ baseURL, javaScriptEnabled });
    const tom = await tomDevice.newPage();
    await signIn(tom, "tom.becker@saomai.example");
    await search(tom, `de ${word}`);
    await expect(tom.locator(".hit", { hasText: "cho quý sau" })).toHaveCount(1);
    await search(tom, name.toLowerCase());
    const channel = tom.locator(".hit", { hasText: name });
    await expect(channel.first()).toBeVisible();
    await expect(tom.locator(".search-tabs")).toContainText("Channels 1");
    await tomDevice.close();

    const lucasDevice = await browser.newContext({ baseURL, javaScriptEnabled });
    const lucas = await lucasDevice.newPage();
    await signIn(lucas, "lucas.martin@saomai.example");
    await search(lucas, `de ${word}`);
    await expect(lucas.getByText(`Nothing matches “de ${word}”.`)).toBeVisible();
    await expect(lucas.locator(".hit")).toHaveCount(0);
    await expect(lucas.locator(".search-tabs")).toContainText("All 0");
    await lucasDevice.close();
  });
});
