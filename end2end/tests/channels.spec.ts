import { test, expect, call, signIn, unique, type Page } from "./fixtures";

/** Starts a channel from the channel list and returns its address. */
async function startChannel(page: Page, name: string, kind: RegExp) {
  await page.goto("/channels");
  await page.locator("summary", { hasText: "New channel" }).click();
  await page.getByLabel("Channel name").fill(name);
  await page.getByLabel("Description").fill("Where the project is run");
  await page.getByLabel("What belongs here").fill(`Only ${name} work`);
  await page.getByLabel(kind).check();
  await page.getByRole("button", { name: "Create channel" }).click();
  await expect(page.getByRole("heading", { level: 1, name: `#${name}` })).toBeVisible();
  await expect(page.locator(".guidelines")).toContainText(`Only ${name} work`);
  return new URL(page.url()).pathname;
}

test.describe("channel management", () => {
  test("a private channel: its admin adds a colleague who posts there; anyone else finds nothing @nojs", async ({
    page,
    browser,
    baseURL,
    javaScriptEnabled,
  }, testInfo) => {
    const name = unique("Private", testInfo.project.name);
    await signIn(page, "emily.chen@saomai.example");
    const path = await startChannel(page, name, /^Private:/);
    expect(path).toBe(`/channels/${name.toLowerCase()}`);

    // The members page: Emily is its admin; she adds Tom.
    await page.getByRole("link", { name: "1 member" }).click();
    await expect(page.getByRole("heading", { level: 1, name: `Members of #${name}` })).toBeVisible();
    await expect(page.locator(".channel-member", { hasText: "Emily Chen" })).toContainText("Channel admin");
    await page.locator('select[name="person"]').selectOption({ label: "Tom Becker" });
    await page.getByRole("button", { name: "Add member" }).click();
    await expect(page.locator(".channel-member", { hasText: "Tom Becker" })).toContainText("Member");

    // Tom sees it listed and posts in it.
    const tomDevice = await browser.newContext({ baseURL, javaScriptEnabled });
    const tom = await tomDevice.newPage();
    await signIn(tom, "tom.becker@saomai.example");
    await tom.goto("/channels");
    await tom.getByRole("link", { name: `#${name}` }).click();
    await tom.getByLabel("Post", { exact: true }).fill(`Hello ${name}`);
    await tom.getByRole("button", { name: "Post", exact: true }).click();
    await expect(tom.locator(".post", { hasText: `Hello ${name}` })).toHaveCount(1);
    await tomDevice.close();

    // Lucas is not in it: not listed, and its pages do not exist for him.
    const lucasDevice = await browser.newContext({ baseURL, javaScriptEnabled });
    const lucas = await lucasDevice.newPage();
    await signIn(lucas, "lucas.martin@saomai.example");
    await lucas.goto("/channels");
    await expect(lucas.getByRole("heading", { level: 1, name: "Channels" })).toBeVisible();
    await expect(lucas.getByRole("link", { name: `#${name}` })).toHaveCount(0);
    for (const address of [path, `${path}/members`]) {
      await lucas.goto(address);
      await expect(lucas.locator('[data-error="404"]')).toContainText("Page not found");
      await expect(lucas.getByText(`Hello ${name}`)).toHaveCount(0);
    }
    await lucasDevice.close();
  });

  test("joining and leaving a public channel; a taken name is refused; its only admin stays @nojs", async ({
    page,
    browser,
    baseURL,
    javaScriptEnabled,
  }, testInfo) => {
    const name = unique("Public", testInfo.project.name);
    await signIn(page, "emily.chen@saomai.example");
    const path = await startChannel(page, name, /^Public:/);
    const slug = path.split("/").pop()!;

    // A second channel of the same name is refused with the reason.
    await page.goto("/channels");
    await page.locator("summary", { hasText: "New channel" }).click();
    await page.getByLabel("Channel name").fill(name.toUpperCase());
    await page.getByRole("button", { name: "Create channel" }).click();
    await expect(page.getByRole("alert")).toHaveText("Another channel already has this name.");

    // Its only admin cannot leave it.
    await page.goto(path);
    await page.locator(".channel-head").getByRole("button", { name: "Leave" }).click();
    await expect(page.getByRole("alert")).toContainText("A channel needs at least one admin");

    // Tom joins from the list, then leaves from the channel's page.
    const tomDevice = await browser.newContext({ baseURL, javaScriptEnabled });
    const tom = await tomDevice.newPage();
    await signIn(tom, "tom.becker@saomai.example");
    await tom.goto("/channels");
    const item = tom.locator(`li.channel[id="${slug}"]`);
    await item.getByRole("button", { name: "Join" }).click();
    await expect(tom.locator(`li.channel[id="${slug}"]`).getByRole("button", { name: "Leave" })).toBeVisible();
    await expect(tom.locator(`li.channel[id="${slug}"]`)).toContainText("2 members");
    await tom.goto(path);
    await tom.locator(".channel-head").getByRole("button", { name: "Leave" }).click();
    await expect(tom.locator(".channel-head").getByRole("button", { name: "Join" })).toBeVisible();
    await expect(tom.locator(".channel-head")).toContainText("1 member");
    await tomDevice.close();
  });

  test("archiving a public channel takes it off the list, keeps it readable and stops posting and joining @nojs", async ({
    page,
    browser,
    baseURL,
    javaScriptEnabled,
  }, testInfo) => {
    const name = unique("Archive", testInfo.project.name);
    await signIn(page, "emily.chen@saomai.example");
    // Starting a channel through its form is the tests' above; here it is set-up.
    const path = await call<string>(page, "channels/create", {
      name,
      description: "Where the project was run",
      guidelines: "",
      kind: "public",
    });
    const slug = path.split("/").pop()!;

    // Emily archives it: off the list, still there for her, read-only.
    await page.goto(`${path}/members`);
    await page.getByRole("button", { name: "Archive channel" }).click();
    await expect(page.getByRole("button", { name: "Bring back from the archive" })).toBeVisible();
    await page.goto("/channels");
    await expect(page.getByRole("heading", { level: 1, name: "Channels" })).toBeVisible();
    await expect(page.locator(`li.channel[id="${slug}"]`)).toHaveCount(0);
    await page.getByRole("link", { name: "Show archived channels" }).click();
    await expect(page.locator(`li.channel[id="${slug}"]`)).toContainText("Archived");
    await page.goto(path);
    await expect(page.getByText("This channel is archived")).toBeVisible();
    await expect(page.getByLabel("Post", { exact: true })).toHaveCount(0);
    const refused = await page.request.post("/api/posts/create", {
      form: { channel: slug, kind: "update", body: "Too late" },
    });
    expect(refused.status()).toBe(403);
    // Nobody joins an archived channel.
    const tomDevice = await browser.newContext({ baseURL, javaScriptEnabled });
    const tom = await tomDevice.newPage();
    await signIn(tom, "tom.becker@saomai.example");
    await tom.goto(path);
    await expect(tom.getByText("This channel is archived")).toBeVisible();
    await expect(tom.locator(".channel-head").getByRole("button", { name: "Join" })).toHaveCount(0);
    await tomDevice.close();
  });
});
