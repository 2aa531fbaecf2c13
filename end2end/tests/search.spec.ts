import { test, expect, signIn, privateChannelWith, unique } from "./fixtures";

test.describe("search", () => {
  test("Telex-typed words are offered back as Vietnamese and find a private channel's post for its members only; tabs count, filters narrow @nojs @storage", async ({ page, browser }, testInfo) => {
    const { baseURL, javaScriptEnabled } = testInfo.project.use;
    // A number of its own: no other post in the demo company carries it.
    const mark = String(100000 + Math.floor(Math.random() * 899999));
    const name = unique("Quỹ", testInfo.project.name);
    await signIn(page, "emily.chen@saomai.example");
    const path = await privateChannelWith(page, name, "Tom Becker");
    await page.goto(path);
    await page.getByLabel("Post", { exact: true }).fill(`Hạn nộp **bảo hiểm xã hội** đợt ${mark} là thứ Sáu`);
    await page.getByRole("button", { name: "Post", exact: true }).click();
    await expect(page.locator(".post", { hasText: `đợt ${mark}` })).toHaveCount(1);

    const tomDevice = await browser.newContext({ baseURL, javaScriptEnabled });
    const tom = await tomDevice.newPage();
    await signIn(tom, "tom.becker@saomai.example");
    await tom.goto("/search");
    await tom.getByRole("searchbox", { name: "Search everything" }).fill(`baor hieemr xax hooij ${mark}`);
    await tom.getByRole("button", { name: "Search", exact: true }).click();
    await expect(tom.locator(".did-you-mean")).toContainText(`showing results for bảo hiểm xã hội ${mark}`);
    const hit = tom.locator(".hit", { hasText: `đợt ${mark}` });
    await expect(hit).toHaveCount(1);
    // The words matched are marked as they are written, accents and all.
    await expect(hit.locator("mark")).toHaveText(["bảo", "hiểm", "xã", "hội", mark]);
    await expect(hit).toContainText(`#${name}`);
    await expect(tom.locator(".search-tabs")).toContainText("Posts 1");

    // The suggested words are a link that searches them.
    await tom.locator(".did-you-mean a").click();
    await expect(tom).toHaveURL(/\/search\?q=b%E1%BA%A3o/);
    await expect(tom.locator(".did-you-mean")).toHaveCount(0);
    await expect(tom.locator(".hit", { hasText: `đợt ${mark}` })).toHaveCount(1);

    // Narrowed to questions, the post is not there; to the past week, it is; the kind
    // tabs are links that keep the words.
    await tom.locator(".search-tabs a", { hasText: "All" }).click();
    await tom.locator('select[name="period"]').selectOption("week");
    await tom.getByRole("button", { name: "Search", exact: true }).click();
    await expect(tom).toHaveURL(/period=week/);
    await expect(tom.locator(".hit", { hasText: `đợt ${mark}` })).toHaveCount(1);
    await tom.goto(`/search?q=${mark}&kind=questions`);
    await expect(tom.locator(".hit")).toHaveCount(0);
    await tom.goto(`/search?q=${mark}&kind=nonsense`);
    await expect(tom.getByText("that value is not one Townhall accepts")).toBeVisible();
    await tomDevice.close();

    // Someone outside the channel finds nothing of it: no result, no count, no snippet.
    const lucasDevice = await browser.newContext({ baseURL, javaScriptEnabled });
    const lucas = await lucasDevice.newPage();
    await signIn(lucas, "lucas.martin@saomai.example");
    await lucas.goto(`/search?q=${encodeURIComponent(`bảo hiểm xã hội ${mark}`)}`);
    await expect(lucas.locator(".hit")).toHaveCount(0);
    await expect(lucas.locator(".search-tabs")).toContainText("All 0");
    await expect(lucas.locator("main")).not.toContainText("thứ Sáu");
    await lucasDevice.close();
  });

  // Not tagged @nojs: suggestions need the island, so this runs with JavaScript only.
  test("the top bar suggests people and channels while typing, and Enter searches everything", async ({ page }) => {
    await signIn(page, "emily.chen@saomai.example");
    // A slow phone: she types before the script arrives; once it runs, what she typed
    // is looked at. (Typing before the island hydrated used to show nothing: a race
    // that failed this test now and then.)
    let release: () => void = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    await page.route("**/pkg/*.wasm", async (route) => {
      await held;
      await route.continue();
    });
    await page.goto("/");
    const box = page.getByRole("searchbox", { name: "Search Townhall" });
    await box.fill("tom bec");
    release();
    const suggestions = page.locator(".top-search .suggestion-list");
    await expect(suggestions.getByRole("link", { name: /Tom Becker/ })).toBeVisible();
    await expect(suggestions.getByRole("link", { name: "Search for “tom bec”" })).toBeVisible();
    await box.press("Escape");
    await expect(suggestions).toHaveCount(0);
    await box.fill("tom becker");
    await suggestions.getByRole("link", { name: /Tom Becker/ }).click();
    await expect(page).toHaveURL(/\/people\/\d+$/);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Tom Becker");
    const again = page.getByRole("searchbox", { name: "Search Townhall" });
    await again.fill("nghi phep");
    await again.press("Enter");
    await expect(page).toHaveURL(/\/search\?q=nghi\+phep|\/search\?q=nghi%20phep/);
    await expect(page.locator(".hit").first()).toBeVisible();
  });
});
