import { test, expect, signIn, unique } from "./fixtures";

test.describe("questions and answers", () => {
  test("a question reaches HR, is answered and accepted; similar questions show while typing @storage", async ({ page, browser, baseURL }, testInfo) => {
    const tag = unique("qa", testInfo.project.name);
    await signIn(page, "sarah.johnson@saomai.example");
    await page.goto("/");
    const composer = page.locator(".composer");
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
});
