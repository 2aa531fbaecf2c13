import { test, expect, signIn, unique, call, invite, join, OWNER } from "./fixtures";

test.describe("questions and answers", () => {
  test("a question reaches HR, is answered and accepted; similar questions show while typing @storage", async ({ page, browser, baseURL }, testInfo) => {
    const tag = unique("qa", testInfo.project.name);
    await signIn(page, "sarah.johnson@saomai.example");
    await page.goto("/");
    const composer = page.locator(".composer");
    // The suggestions are the composer island's (text typed before it hydrates is looked
    // at when it does: the next test).
    await expect(page.locator("[data-composer]")).toHaveAttribute("data-hydrated", "true");
    // While she types a question, the answered question already asked shows under the box.
    await page.getByLabel("Post", { exact: true }).fill(`Làm sao để hoàn ứng công tác phí ${tag}?`);
    await page.locator('.composer select[name="kind"]').selectOption({ label: "Question" });
    const similar = composer.getByTestId("similar-questions");
    await expect(similar).toBeVisible();
    const answered = similar.locator("li", { hasText: "hoàn ứng công tác phí sau chuyến đi Đà Nẵng" });
    await expect(answered).toContainText("Answered");
    await expect(answered.getByRole("link")).toHaveAttribute("href", /^\/posts\/\d+$/);

    // She asks anyway, in other words (without the topic's exact phrase).
    await page.getByLabel("Post", { exact: true }).fill(`Cho mình hỏi thủ tục hoàn ứng chi phí đi công tác ${tag}?`);
    await page.locator('.composer select[name="channel"]').selectOption({ label: "#toan-cong-ty" });
    await page.getByRole("button", { name: "Post", exact: true }).click();
    await expect(page.locator(".post", { hasText: tag })).toHaveCount(1);
    await expect(similar).toHaveCount(0);

    // HR's head, responsible for "Hoàn ứng công tác phí", is told, and finds it in "For you".
    const hrDevice = await browser.newContext({ baseURL });
    const hr = await hrDevice.newPage();
    await signIn(hr, "dang.thi.huong@saomai.example");
    await hr.goto("/notifications");
    const told = hr.locator(".notification", { hasText: tag });
    await expect(told).toContainText("Sarah Johnson asked a question you could answer");
    await hr.goto("/questions");
    const routed = hr.locator(".post", { hasText: tag });
    await expect(routed).toHaveCount(1);
    await routed.locator("a.post-link").click();
    await expect(hr).toHaveURL(/\/posts\/\d+$/);
    await expect(hr.getByRole("heading", { name: "No answers yet" })).toBeVisible();
    await hr.getByRole("textbox", { name: "Write an answer" }).fill(`Điền mẫu HR-07 và gửi phòng Nhân sự ${tag}`);
    await hr.getByRole("button", { name: "Answer", exact: true }).click();
    await expect(hr.getByRole("heading", { name: "1 answer" })).toBeVisible();
    const postPath = new URL(hr.url()).pathname;

    // Sarah is told, opens it and accepts the answer.
    await page.goto("/notifications");
    await expect(page.locator(".notification", { hasText: tag })).toContainText("Đặng Thị Hương answered your question");
    await page.goto(postPath);
    const answer = page.locator(".comment", { hasText: "Điền mẫu HR-07" });
    await answer.getByRole("button", { name: "Accept this answer" }).click();
    await expect(page.locator(".comment-accepted")).toContainText("Accepted answer");
    await expect(page.locator(".post-head .answered-badge")).toContainText("Answered");

    // HR turns the accepted answer into a knowledge page, starting from both texts.
    await hr.goto(postPath);
    await hr.locator(".comment-accepted").getByRole("link", { name: "Turn into a page" }).click();
    await expect(hr).toHaveURL(/\/pages\/new\?question=\d+$/);
    await expect(hr.locator('textarea[name="body"]')).toHaveValue(new RegExp(`Điền mẫu HR-07[\\s\\S]*${tag}`));
    await hr.locator('input[name="title"]').fill(`Hoàn ứng công tác phí ${tag}`);
    await hr.getByRole("button", { name: "Create page" }).click();
    await expect(hr).toHaveURL(/\/pages\/\d+$/);
    await expect(hr.getByRole("heading", { level: 1 })).toContainText(tag);
    const led = hr.locator(".page-questions");
    await expect(led.getByRole("heading", { name: "Questions that led here" })).toBeVisible();
    await expect(led.getByRole("link")).toHaveAttribute("href", postPath);
    // The question now says what it became.
    await page.goto(postPath);
    await expect(page.locator(".part-of")).toContainText(`Now part of: Hoàn ứng công tác phí ${tag}`);

    // The question is answered everywhere: gone from HR's "For you" and the open lists.
    await hr.goto("/notifications");
    await expect(hr.locator(".notification", { hasText: tag }).first()).toContainText("Sarah Johnson accepted your answer");
    await hr.goto("/questions");
    await expect(hr.locator(".post", { hasText: tag })).toHaveCount(0);
    await hr.goto("/channels/general/questions");
    await expect(hr.getByRole("heading", { level: 1, name: "Unanswered questions" })).toBeVisible();
    await expect(hr.locator(".post", { hasText: tag })).toHaveCount(0);
    await hrDevice.close();
    await page.goto("/company");
    await expect(page.locator(".post", { hasText: tag }).locator(".answered-badge")).toContainText("Answered");
  });

  test("a question typed before the page's script has run still shows similar ones", async ({ page }, testInfo) => {
    const tag = unique("slow", testInfo.project.name);
    await signIn(page, "sarah.johnson@saomai.example");
    // A slow phone: the script arrives only after she has typed and chosen "Question".
    let release: () => void = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    await page.route("**/pkg/*.wasm", async (route) => {
      await held;
      await route.continue();
    });
    await page.goto("/");
    await page.getByLabel("Post", { exact: true }).fill(`Làm sao để hoàn ứng công tác phí ${tag}?`);
    await page.locator('.composer select[name="kind"]').selectOption({ label: "Question" });
    await expect(page.locator("[data-composer]")).not.toHaveAttribute("data-hydrated", "true");
    release();
    await expect(page.locator("[data-composer]")).toHaveAttribute("data-hydrated", "true");
    // Nothing was typed since: the island looked at what was already there.
    const similar = page.locator(".composer").getByTestId("similar-questions");
    await expect(similar.locator("li", { hasText: "hoàn ứng công tác phí sau chuyến đi Đà Nẵng" })).toContainText("Answered");
  });

  test("without JavaScript: ask, answer, mark helpful and accept with plain forms @nojs", async ({ page, browser, baseURL, javaScriptEnabled }, testInfo) => {
    const tag = unique("qa-forms", testInfo.project.name);
    await signIn(page, "priya.nair@saomai.example");
    await page.goto("/channels/it-help");
    await page.getByLabel("Post", { exact: true }).fill(`Where do I find the Wi-Fi password for guests? ${tag}`);
    await page.locator('.composer select[name="kind"]').selectOption({ label: "Question" });
    await page.getByRole("button", { name: "Post", exact: true }).click();
    const question = page.locator(".post", { hasText: tag });
    await expect(question).toHaveCount(1);
    // Open in the channel's unanswered list.
    await page.goto("/channels/it-help/questions");
    await expect(page.locator(".post", { hasText: tag })).toHaveCount(1);

    // A colleague who neither asked nor administers the channel answers.
    const ownerDevice = await browser.newContext({ baseURL, javaScriptEnabled });
    const owner = await ownerDevice.newPage();
    await signIn(owner, "sarah.johnson@saomai.example");
    await owner.goto("/channels/it-help");
    const card = owner.locator(".post", { hasText: tag });
    await card.getByRole("textbox", { name: "Write an answer" }).fill(`On the card at reception ${tag}`);
    await card.getByRole("button", { name: "Answer", exact: true }).click();
    await expect(owner.locator(".post", { hasText: tag }).locator(".comment")).toContainText("On the card at reception");
    // Only the asker (or the channel's admins) may accept: she is offered no button.
    await expect(owner.locator(".post", { hasText: tag }).getByRole("button", { name: "Accept this answer" })).toHaveCount(0);
    await ownerDevice.close();

    await page.goto("/channels/it-help");
    const mine = page.locator(".post", { hasText: tag });
    await mine.getByRole("button", { name: "Helpful" }).click();
    await expect(page.locator(".post", { hasText: tag }).getByRole("button", { name: "Helpful" })).toHaveAttribute("aria-pressed", "true");
    await page.locator(".post", { hasText: tag }).getByRole("button", { name: "Accept this answer" }).click();
    await expect(page.locator(".post", { hasText: tag }).locator(".comment-accepted")).toContainText("Accepted answer");
    await expect(page.locator(".post", { hasText: tag }).locator(".answered-badge")).toContainText("Answered");
    await page.goto("/channels/it-help/questions");
    await expect(page.locator(".post", { hasText: tag })).toHaveCount(0);
  });
  test("the knowledge loop: a new hire's question, routed, answered, accepted, made a page that search and the journey find; its keeper leaves and it passes to their manager @nojs @storage", async ({ page, browser }, testInfo) => {
    const { baseURL, javaScriptEnabled } = testInfo.project.use;
    const tag = unique("loop", testInfo.project.name);
    const HR = "Nhân sự & Tài chính";
    // The owner invites an HR colleague (who will keep the page) and a new hire.
    await signIn(page, OWNER);
    const hrDevice = await browser.newContext({ baseURL, javaScriptEnabled });
    const hr = await hrDevice.newPage();
    const hrProfile = await join(hr, await invite(page, { department: HR }), `Phan Thị Hạnh ${tag}`, `${tag}.hanh@saomai.example`);
    const hireDevice = await browser.newContext({ baseURL, javaScriptEnabled });
    const hire = await hireDevice.newPage();
    const hireProfile = await join(hire, await invite(page), `Lê Văn Mới ${tag}`, `${tag}.moi@saomai.example`);
    // Set-up through the server functions (the profile form is the people tests' subject):
    // she is responsible for travel advances and reports to HR's head.
    const admin = await call<{ departments: { id: number; name: string }[] }>(page, "admin/overview", {});
    const hrId = String(admin.departments.find((d) => d.name === HR)!.id);
    const heads = await call<{ people: { person: { id: number; name: string } }[] }>(page, "people", { query: "Đặng Thị Hương" });
    const headId = String(heads.people[0].person.id);
    await call(page, "people/save", {
      person: hrProfile.split("/").pop()!, name: `Phan Thị Hạnh ${tag}`, job_title: "Chuyên viên Nhân sự", location: "",
      time_zone: "", start_date: "", birthday_month: "", birthday_day: "", expertise: "",
      responsibilities: "Hoàn ứng công tác phí", department: hrId, manager: headId,
    });

    // The new hire asks; with JavaScript the answered question already asked shows while typing.
    await hire.goto("/");
    await hire.getByLabel("Post", { exact: true }).fill(`Làm sao để hoàn ứng công tác phí ${tag}?`);
    await hire.locator('.composer select[name="kind"]').selectOption({ label: "Question" });
    if (javaScriptEnabled) {
      const similar = hire.locator(".composer").getByTestId("similar-questions");
      await expect(similar.locator("li", { hasText: "hoàn ứng công tác phí sau chuyến đi Đà Nẵng" })).toContainText("Answered");
    }
    await hire.getByLabel("Post", { exact: true }).fill(`Cho em hỏi thủ tục hoàn ứng chi phí đi công tác ${tag}?`);
    await hire.locator('.composer select[name="channel"]').selectOption({ label: "#toan-cong-ty" });
    await hire.getByRole("button", { name: "Post", exact: true }).click();
    await expect(hire.locator(".post", { hasText: tag })).toHaveCount(1);

    // She is told, answers, and once it is accepted turns it into a page.
    await hr.goto("/notifications");
    await expect(hr.locator(".notification", { hasText: tag })).toContainText("asked a question you could answer");
    await hr.goto("/questions");
    await hr.locator(".post", { hasText: tag }).locator("a.post-link").click();
    await expect(hr).toHaveURL(/\/posts\/\d+$/);
    const postPath = new URL(hr.url()).pathname;
    await hr.getByRole("textbox", { name: "Write an answer" }).fill(`Điền mẫu HR-07, đính kèm hoá đơn, gửi phòng Nhân sự ${tag}`);
    await hr.getByRole("button", { name: "Answer", exact: true }).click();
    await expect(hr.getByRole("heading", { name: "1 answer" })).toBeVisible();
    await hire.goto(postPath);
    await hire.locator(".comment", { hasText: "Điền mẫu HR-07" }).getByRole("button", { name: "Accept this answer" }).click();
    await expect(hire.locator(".comment-accepted")).toContainText("Accepted answer");
    await hr.goto(postPath);
    await hr.locator(".comment-accepted").getByRole("link", { name: "Turn into a page" }).click();
    await hr.locator('select[name="space"]').selectOption({ label: `Department: ${HR}` });
    await hr.locator('input[name="title"]').fill(`Hoàn ứng công tác phí ${tag}`);
    await hr.getByRole("button", { name: "Create page" }).click();
    await expect(hr).toHaveURL(/\/pages\/\d+$/);
    const pagePath = new URL(hr.url()).pathname;
    await expect(hr.locator(".page-facts")).toContainText(`Owner: Phan Thị Hạnh ${tag}`);

    // The new hire finds the page by search, typed without accents, first among the results.
    await hire.goto(`/search?q=${encodeURIComponent(`hoan ung cong tac phi ${tag}`)}`);
    const found = hire.locator(".hit").first();
    await expect(found.locator(".hit-title")).toHaveText(`Hoàn ứng công tác phí ${tag}`);
    await expect(found.locator(".hit-title")).toHaveAttribute("href", pagePath);
    await expect(found).toContainText("Verified");

    // HR puts it on the new hire's journey (set-up through the server functions; the
    // editor is the journeys tests' subject), and it shows in "Your first weeks".
    const journey = await call<number>(page, "journeys/create", { name: `Tuần đầu ${tag}`, description: "", department: "", join_role: "" });
    await call(page, "journeys/add-step", { journey: String(journey), day: "1", kind: "page", target: pagePath.split("/").pop()!, note: "" });
    await call(page, "journeys/assign", { person: hireProfile.split("/").pop()!, journey: String(journey) });
    await hire.goto("/journey");
    await expect(hire.getByRole("link", { name: `Hoàn ứng công tác phí ${tag}` })).toHaveAttribute("href", pagePath);

    // The keeper leaves: deactivated, her page passes to her manager, who is told.
    await page.goto(hrProfile);
    await page.getByTestId("deactivate").click();
    await expect(page.getByText("Deactivated", { exact: true })).toBeVisible();
    await hrDevice.close();
    const headDevice = await browser.newContext({ baseURL, javaScriptEnabled });
    const head = await headDevice.newPage();
    await signIn(head, "dang.thi.huong@saomai.example");
    await head.goto(pagePath);
    await expect(head.locator(".page-facts")).toContainText("Owner: Đặng Thị Hương");
    await head.goto("/notifications");
    await expect(head.locator(".notification", { hasText: `Hoàn ứng công tác phí ${tag}` })).toContainText("A knowledge page passed to you");
    // A page past its review date waits in her queue and warns its readers.
    await head.goto("/pages");
    const overdue = head.locator(".review-queue").getByRole("link", { name: "Hội nhập nhân viên mới: tháng đầu tiên" });
    await overdue.click();
    await expect(head.locator(".page-due, .page-stale")).toBeVisible();
    await headDevice.close();
    await hireDevice.close();
  });
});
