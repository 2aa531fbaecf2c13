import { test, expect, signIn, invite, join, unique, OWNER, MEMBER, PNG } from "./fixtures";

test.describe("people and permissions", () => {
  test("a person edits their profile and photo, with or without JavaScript @nojs", async ({ page }, testInfo) => {
    // One person per project, so the runs with and without JavaScript do not collide.
    const [email, name] = testInfo.project.name.endsWith("nojs")
      ? ["tom.becker@saomai.example", "Tom Becker"]
      : ["emily.chen@saomai.example", "Emily Chen"];
    await signIn(page, email);
    await page.goto("/");
    await page.getByRole("banner").getByRole("link", { name }).click();
    await expect(page.getByRole("heading", { level: 1, name })).toBeVisible();
    // The organisation chart: everyone here reports to someone, up to the CEO.
    await expect(page.locator(".manager-chain")).toContainText("Trần Minh Quân");
    await page.getByRole("link", { name: "Edit profile" }).click();
    await expect(page.getByText("Only administrators can change department and manager.")).toBeVisible();

    await page.locator('input[name="photo"]').setInputFiles({ name: "me.png", mimeType: "image/png", buffer: PNG });
    await page.getByRole("button", { name: "Upload photo" }).click();
    await expect(page).toHaveURL(/\/people\/\d+\/edit$/);
    const photo = page.locator(".avatar-edit img.avatar");
    await expect(photo).toBeVisible();
    const image = await page.request.get((await photo.getAttribute("src"))!);
    expect(image.status()).toBe(200);
    expect(image.headers()["content-type"]).toBe("image/jpeg");

    // A file that is not a photo is refused with its reason.
    await page.locator('input[name="photo"]').setInputFiles({ name: "notes.png", mimeType: "image/png", buffer: Buffer.from("not a picture") });
    await page.getByRole("button", { name: "Upload photo" }).click();
    await expect(page.getByRole("alert")).toHaveText("That file is not a photo Townhall can read. Use JPEG, PNG, WebP or GIF.");

    await page.getByLabel("Location").fill("Đà Nẵng (remote)");
    await page.getByLabel("Ask me about").fill("Figma, accessibility");
    await page.locator('select[name="birthday_day"]').selectOption("14");
    await page.locator('select[name="birthday_month"]').selectOption({ label: "February" });
    await page.getByLabel("Show my birthday").check();
    await page.getByRole("button", { name: "Save" }).click();
    await expect(page).toHaveURL(/\/people\/\d+$/);
    await expect(page.getByText("Đà Nẵng (remote)")).toBeVisible();
    await expect(page.locator(".tag")).toHaveText(["Figma", "accessibility"]);
    await expect(page.getByText("February 14")).toBeVisible();
    await expect(page.locator(".profile-head img.avatar")).toBeVisible();
  });

  test("a guest sees only the channel they were invited to, and a proper not-allowed page elsewhere @nojs @storage", async ({
    page,
    browser,
    baseURL,
    javaScriptEnabled,
  }, testInfo) => {
    await signIn(page, OWNER);
    // The admin page's invitation form is first-run's subject; here it is set-up.
    const link = await invite(page, { role: "guest", channel: "#marketing" });

    const device = await browser.newContext({ baseURL, javaScriptEnabled });
    const guest = await device.newPage();
    await join(guest, link, "Lena Fischer", `${unique("guest", testInfo.project.name)}@agency.example`);
    // Their feed holds only their channel's posts.
    const channels = guest.locator('.post-where a[href^="/channels/"]');
    await expect(channels.first()).toBeVisible();
    expect(new Set(await channels.allTextContents())).toEqual(new Set(["#marketing"]));
    // Channels they are not in: a clear refusal with its status, not a blank page.
    const refused = await guest.goto("/channels/general");
    expect(refused?.status()).toBe(403);
    await expect(guest.getByRole("alert")).toContainText("Not allowed");
    await expect(guest.getByRole("alert")).toContainText("You are not allowed to do that.");
    await expect(guest.locator(".post")).toHaveCount(0);
    const hidden = await guest.goto("/channels/leadership");
    expect(hidden?.status()).toBe(404);
    // Their own channel opens.
    await guest.goto("/channels/marketing");
    await expect(guest.getByRole("heading", { level: 1, name: "#marketing" })).toBeVisible();
    // The directory holds only the people of their channel: Marketing's head is there,
    // Engineering's is not.
    await guest.goto("/people?q=nguyen+thu+trang");
    await expect(guest.locator(".person h2").first()).toHaveText("Nguyễn Thu Trang");
    await guest.goto("/people?q=pham+duc+anh");
    await expect(guest.getByText("Nobody matches that search.")).toBeVisible();
    await device.close();
  });

  test("a private channel is invisible to those outside it @nojs", async ({ page }) => {
    await signIn(page, MEMBER);
    const hidden = await page.goto("/channels/leadership");
    expect(hidden?.status()).toBe(404);
    await expect(page.getByRole("alert")).toContainText("That item does not exist or has been removed.");
    await page.goto("/channels");
    // Listed channels, but not that one (a count would race tests adding channels).
    await expect(page.locator('li.channel[id="general"]')).toHaveCount(1);
    await expect(page.locator('li.channel[id="leadership"]')).toHaveCount(0);
    await signIn(page, OWNER);
    await page.goto("/channels/leadership");
    await expect(page.getByRole("heading", { level: 1, name: "#ban-dieu-hanh" })).toBeVisible();
  });

  test("a deactivated person is signed out on their next request, and can come back @nojs", async ({
    page,
    browser,
    baseURL,
    javaScriptEnabled,
  }, testInfo) => {
    await signIn(page, OWNER);
    const link = await invite(page);
    const device = await browser.newContext({ baseURL, javaScriptEnabled });
    const them = await device.newPage();
    const email = `${unique("leaver", testInfo.project.name)}@saomai.example`;
    const profile = await join(them, link, "Hồ Văn Rời", email, "a long enough passphrase");

    // An admin makes them an administrator, then deactivates them.
    await page.goto(profile);
    await page.locator('select[name="role"]').selectOption({ label: "Administrator" });
    await page.getByRole("button", { name: "Change role" }).click();
    await expect(page.locator(".profile-head .badge")).toHaveText("Administrator");
    await page.getByTestId("deactivate").click();
    await expect(page.getByText("Deactivated", { exact: true })).toBeVisible();
    // The admin can find them again among the deactivated.
    await page.goto("/people?status=deactivated");
    await expect(page.locator(".person h2")).toContainText(["Hồ Văn Rời"]);

    await them.goto("/channels");
    await expect(them).toHaveURL(/\/sign-in\?next=\/channels$/);
    await them.getByLabel("Work e-mail").fill(email);
    await them.getByLabel("Password").fill("a long enough passphrase");
    await them.getByRole("button", { name: "Sign in" }).click();
    await expect(them.getByRole("alert")).toContainText("This account has been deactivated.");

    await page.goto(profile);
    await page.getByTestId("reactivate").click();
    await expect(page.getByTestId("deactivate")).toBeVisible();
    await them.getByLabel("Work e-mail").fill(email);
    await them.getByLabel("Password").fill("a long enough passphrase");
    await them.getByRole("button", { name: "Sign in" }).click();
    await expect(them).toHaveURL(/\/channels$/);
    await device.close();
  });

  test("nobody changes the owner's access; members get no admin tools @nojs", async ({ page }) => {
    await signIn(page, "dang.thi.huong@saomai.example");
    await page.goto("/people?q=tran+minh+quan");
    await page.locator(".person h2 a").click();
    await expect(page.getByRole("heading", { level: 1, name: "Trần Minh Quân" })).toBeVisible();
    await expect(page.getByTestId("deactivate")).toHaveCount(0);
    await expect(page.getByRole("button", { name: "Change role" })).toHaveCount(0);

    await signIn(page, MEMBER);
    await page.goto("/");
    await expect(page.getByRole("navigation", { name: "Main navigation" }).getByRole("link", { name: "Admin" })).toHaveCount(0);
    const refused = await page.goto("/admin");
    expect(refused?.status()).toBe(403);
    await expect(page.getByRole("alert")).toContainText("Not allowed");
  });
});
