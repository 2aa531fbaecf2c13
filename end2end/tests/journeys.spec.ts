import { test, expect, signIn, unique, call, invite, joinDirectly, OWNER } from "./fixtures";

test.describe("onboarding journeys", () => {
  test("HR writes a journey, a new hire is given it on joining and ticks it off @nojs @storage", async ({ page, browser, baseURL, javaScriptEnabled }, testInfo) => {
    const tag = unique("journey", testInfo.project.name);
    await signIn(page, OWNER);
    // A department of its own, so that only this story's people join it, and a channel
    // nobody new is in yet.
    await call(page, "admin/department", { name: tag });
    const path = await call<string>(page, "channels/create", { name: tag, description: "", guidelines: "", kind: "public" });
    const slug = path.split("/").pop()!;

    // The journey: for the department, given on joining.
    await page.goto("/journeys");
    await expect(page.getByRole("heading", { level: 1, name: "Onboarding journeys" })).toBeVisible();
    const create = page.locator("form.new-journey");
    await create.getByLabel("Name").fill(`First weeks ${tag}`);
    await create.locator('select[name="department"]').selectOption({ label: tag });
    await expect(create.getByLabel("Give it to new colleagues when they join")).toBeChecked();
    await create.getByRole("button", { name: "Create journey" }).click();
    await expect(page).toHaveURL(/\/journeys\/\d+$/);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(`First weeks ${tag}`);
    await expect(page.locator(".journey-editor")).toContainText(`Department: ${tag}`);

    // Three steps: a task on day 1, a channel to join on day 2, a page to read on day 3.
    const task = page.locator("form.add-step-task");
    await task.getByLabel("What to do").fill(`Sign the contract ${tag}`);
    await task.getByRole("button", { name: "Add" }).click();
    await expect(page.locator(".journey-steps")).toContainText(`Sign the contract ${tag}`);
    const channel = page.locator("form.add-step-channel");
    await channel.getByLabel("Day").fill("2");
    await channel.locator('select[name="target"]').selectOption(slug);
    await channel.getByRole("button", { name: "Add" }).click();
    await expect(page.locator(".journey-steps .journey-step")).toHaveCount(2);
    await expect(page.locator(".journey-steps .journey-step").nth(1)).toContainText("Day 2");
    const read = page.locator("form.add-step-page");
    await read.getByLabel("Day").fill("3");
    await read.locator('select[name="target"]').selectOption({ label: "Chính sách nghỉ phép năm" });
    await read.getByRole("button", { name: "Add" }).click();
    await expect(page.locator(".journey-steps .journey-step")).toHaveCount(3);

    // A bad step (a task of blanks, which the browser lets through) is refused with a
    // message and adds nothing.
    await task.getByLabel("What to do").fill("   ");
    await task.getByRole("button", { name: "Add" }).click();
    await expect(page.getByRole("alert").first()).toBeVisible();
    await page.goto(page.url());
    await expect(page.locator(".journey-steps .journey-step")).toHaveCount(3);

    // A new hire joins the department: the journey is theirs, on the home page and in full.
    const link = await invite(page, { department: tag });
    const context = await browser.newContext({ baseURL, javaScriptEnabled });
    const newcomer = await context.newPage();
    const name = `Newcomer ${tag}`;
    await joinDirectly(newcomer, link, name, `${tag}@saomai.example`);
    await newcomer.goto("/");
    const panel = newcomer.locator(".first-weeks");
    await expect(panel.getByRole("heading", { name: "Your first weeks" })).toBeVisible();
    await expect(panel).toContainText(`First weeks ${tag}`);
    await expect(panel).toContainText(`Sign the contract ${tag}`);

    await newcomer.goto("/journey");
    const mine = newcomer.locator(".journey-progress", { hasText: `First weeks ${tag}` });
    await expect(mine.locator(".journey-count")).toHaveText("0 of 3 steps done");
    const contract = mine.locator(".journey-step", { hasText: `Sign the contract ${tag}` });
    await contract.getByRole("button", { name: "Mark done" }).click();
    await expect(contract.locator(".badge")).toHaveText("Done");
    await expect(mine.locator(".journey-count")).toHaveText("1 of 3 steps done");
    // The channel step is done by joining the channel.
    const join = mine.locator(".journey-step", { hasText: "Day 2" });
    await join.getByRole("button", { name: "Join channel" }).click();
    await expect(mine.locator(".journey-count")).toHaveText("2 of 3 steps done");
    // The page step is done from the page itself: "I have read it".
    await mine.getByRole("link", { name: "Chính sách nghỉ phép năm" }).click();
    await expect(newcomer).toHaveURL(/\/pages\/\d+$/);
    await newcomer.getByRole("button", { name: "I have read it" }).click();
    await expect(newcomer.locator(".journey-read")).toHaveText("Read for your onboarding");
    await newcomer.goto("/journey");
    await expect(mine.locator(".journey-count")).toHaveText("3 of 3 steps done");
    await expect(mine.getByRole("status")).toContainText("Journey complete");
    await context.close();

    // HR sees who is on it, and how far they are.
    await page.goto(page.url());
    const travellers = page.locator(".travellers");
    await expect(travellers).toContainText(name);
    await expect(travellers).toContainText("3 of 3 steps done");
  });
});
