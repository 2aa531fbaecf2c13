import { test, expect, signIn, MEMBER, OWNER } from "./fixtures";

/** Lê Hoàng Nam heads sales: a member with the leader permission (demo seed). */
const LEADER = "le.hoang.nam@saomai.example";
/** The department the demo makes lag behind: 10 people, about 2 of them active. */
const LAGGING = "Chăm sóc khách hàng";
/** A department of 8 where everyone is active most days. */
const ACTIVE = "Marketing";

/** A calendar day in the company's time zone (UTC+7), `daysAgo` days before today. */
function companyDay(daysAgo: number) {
  return new Date(Date.now() + 7 * 3_600_000 - daysAgo * 86_400_000).toISOString().slice(0, 10);
}

/** A number as the English page writes it ("1,234.5", "37.5 %"). */
function pageNumber(text: string) {
  return Number(text.replace(/[,%\s]/g, ""));
}

/** `metric → now` from one of the dashboard's `metric,now,before` CSV files. */
function csvFigures(text: string) {
  const rows = text.trim().split("\n").map((line) => line.split(","));
  expect(rows[0]).toEqual(["metric", "now", "before"]);
  return new Map(rows.slice(1).map(([metric, now]) => [metric, Number(now)]));
}

test.describe("adoption dashboard", () => {
  test("a member is not allowed in, and is not offered the link @nojs", async ({ page }) => {
    await signIn(page, MEMBER);
    const response = await page.goto("/dashboard");
    expect(response?.status()).toBe(403);
    await expect(page.getByRole("alert")).toContainText("Not allowed");
    await expect(page.getByRole("navigation", { name: "Main navigation" }).getByRole("link", { name: "Dashboard" })).toHaveCount(0);
    const csv = await page.request.get("/dashboard/export/people.csv?range=7");
    expect(csv.status()).toBe(403);
  });

  test("a leader changes the period and department and the CSV matches the page @nojs @storage", async ({ page }) => {
    await signIn(page, LEADER);
    await page.goto("/");
    await page.getByRole("navigation", { name: "Main navigation" }).getByRole("link", { name: "Dashboard" }).click();
    await expect(page.getByRole("heading", { level: 1, name: "Dashboard" })).toBeVisible();
    // Thirty days by default; the demo's lagging department comes with a suggestion.
    await expect(page.getByText("(30 days)")).toBeVisible();
    const suggestion = page.locator(".suggestions li").filter({ hasText: LAGGING });
    await expect(suggestion).toContainText("a kickoff post from its head usually helps");
    await expect(suggestion.getByRole("link", { name: "See its people" })).toHaveAttribute("href", /\/people\?department=\d+$/);
    await expect(page.locator('table[data-table="departments"] tr').filter({ hasText: LAGGING })).toContainText("Lagging");
    // Charts are drawn on the server, each with its data table.
    await expect(page.locator('figure.chart svg[role="img"]').first()).toBeVisible();
    await expect(page.locator("details.chart-data table").first()).toBeAttached();

    await page.locator('select[name="range"]').selectOption("7");
    await page.getByRole("button", { name: "Show" }).click();
    await expect(page).toHaveURL(/range=7/);
    await expect(page.getByText("(7 days)")).toBeVisible();

    // A period that ended yesterday, so nobody signing in during the tests changes it.
    const [from, to] = [companyDay(14), companyDay(1)];
    await page.locator('select[name="range"]').selectOption("custom");
    await page.locator('input[name="from"]').fill(from);
    await page.locator('input[name="to"]').fill(to);
    // A department with two active people shows nothing about them.
    await page.locator('select[name="department"]').selectOption({ label: LAGGING });
    await page.getByRole("button", { name: "Show" }).click();
    await expect(page.getByText("Fewer than 5 people were active in this selection")).toBeVisible();
    await expect(page.locator('[data-metric="active_people"]')).toHaveCount(0);
    await page.locator('select[name="department"]').selectOption({ label: ACTIVE });
    await page.getByRole("button", { name: "Show" }).click();
    await expect(page).toHaveURL(/range=custom/);
    await expect(page.locator("[data-period]")).toHaveAttribute("data-period", `${from}/${to}`);
    await expect(page.getByText("(14 days)")).toBeVisible();

    const link = page.locator('a.csv-link[href*="/dashboard/export/people.csv"]');
    await expect(link).toHaveAttribute("href", /department=\d+/);
    const csv = await page.request.get((await link.getAttribute("href"))!);
    expect(csv.status()).toBe(200);
    expect(csv.headers()["content-type"]).toContain("text/csv");
    const figures = csvFigures(await csv.text());
    for (const metric of ["active_people", "daily_active", "weekly_active", "stickiness_pct"]) {
      const shown = await page.locator(`[data-metric="${metric}"] .stat-value`).textContent();
      expect(pageNumber(shown!), metric).toBe(figures.get(metric));
    }
    expect(figures.get("active_people")).toBeGreaterThan(0);
  });

  test("staff take the leader permission away and give it back on a profile @nojs", async ({ page }, testInfo) => {
    // A department head (a leader in the demo) per project, so the two runs do not collide.
    const [query, name] = testInfo.project.name.endsWith("nojs")
      ? ["nguyen thu trang", "Nguyễn Thu Trang"]
      : ["vo thanh tam", "Võ Thanh Tâm"];
    await signIn(page, OWNER);
    await page.goto(`/people?q=${encodeURIComponent(query)}`);
    await page.locator(".person h2").getByRole("link", { name }).click();
    await expect(page.getByRole("heading", { level: 1, name })).toBeVisible();
    const manage = page.locator("section.manage");
    await expect(manage).toContainText("Has the leader permission: reads the adoption dashboard.");
    await manage.getByRole("button", { name: "Take the leader permission away" }).click();
    await expect(manage.getByRole("button", { name: "Make a leader" })).toBeVisible();
    await expect(manage).toContainText("Leaders read the adoption dashboard without administering the company.");
    await manage.getByRole("button", { name: "Make a leader" }).click();
    await expect(manage.getByRole("button", { name: "Take the leader permission away" })).toBeVisible();
  });
});
