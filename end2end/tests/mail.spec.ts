import { readdirSync, readFileSync } from "node:fs";
import { join as joinPath } from "node:path";
import { simpleParser } from "mailparser";
import { test, expect, signIn, unique, OWNER } from "./fixtures";

// On the "mail" server (serve.sh): it sends through an SMTP server of its own that
// delivers into a Maildir named after the site's port, which these tests read as a mail
// program would. The outbox sends every 5 s.

type Mail = { to: string; subject: string; text: string };

function maildir(baseURL: string | undefined) {
  const port = new URL(baseURL!).port;
  return joinPath(process.env.TMPDIR ?? "/tmp", `townhall-e2e-mail-${port}`, "new");
}

/** The mail delivered to `address` (whose subject starts with `subject`), waiting for it
 *  to arrive. */
async function mailTo(baseURL: string | undefined, address: string, subject = ""): Promise<Mail> {
  let found: Mail | undefined;
  await expect(async () => {
    let files: string[] = [];
    try {
      files = readdirSync(maildir(baseURL));
    } catch {
      // Nothing delivered yet.
    }
    for (const file of files) {
      const parsed = await simpleParser(readFileSync(joinPath(maildir(baseURL), file)));
      const to = Array.isArray(parsed.to) ? parsed.to[0] : parsed.to;
      if (to?.value[0]?.address === address && parsed.subject?.startsWith(subject)) {
        found = { to: address, subject: parsed.subject ?? "", text: parsed.text ?? "" };
      }
    }
    expect(found, `a mail to ${address}`).toBeDefined();
  }).toPass({ timeout: 20_000 });
  return found!;
}

/** The first link in `mail`'s text that starts with `prefix`. */
function linkIn(mail: Mail, prefix: string) {
  const link = mail.text.match(new RegExp(`${prefix.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}[A-Za-z0-9_-]+`))?.[0];
  expect(link, `a link starting ${prefix} in ${mail.text}`).toBeDefined();
  return link!;
}

test.describe("e-mail", () => {
  test("an admin invites by e-mail; the link joins with that address only @mail @nojs", async ({ page, browser, baseURL, javaScriptEnabled }, testInfo) => {
    const tag = unique("mailed", testInfo.project.name);
    const email = `${tag}@saomai.example`;
    await signIn(page, OWNER);
    await page.goto("/admin");
    await page.getByLabel("Send by e-mail to").fill(`${email}, tran.minh.quan@saomai.example`);
    await page.getByRole("button", { name: "Create invitation link" }).click();
    const answer = page.locator(".invitations-mailed");
    await expect(answer).toContainText(`Invitations are on their way to ${email}.`);
    await expect(answer).toContainText("Already here, so nothing was sent: tran.minh.quan@saomai.example.");
    await page.goto("/admin");
    await expect(page.locator(".invitation").filter({ hasText: `sent to ${email}` })).toHaveCount(1);

    const mail = await mailTo(baseURL, email);
    expect(mail.subject).toMatch(/ invited you to Sao Mai Software on Townhall$/);
    const link = linkIn(mail, `${baseURL}/join/`);

    const newcomer = await (await browser.newContext({ baseURL, javaScriptEnabled })).newPage();
    await newcomer.goto(link);
    const address = newcomer.getByLabel("Work e-mail");
    await expect(address).toHaveValue(email);
    await expect(address).toHaveAttribute("readonly", "");
    await newcomer.getByLabel("Your name").fill(`Mailed ${tag}`);
    await newcomer.getByLabel("Password").fill("a long enough passphrase");
    await newcomer.getByRole("button", { name: "Create my account" }).click();
    await expect(newcomer).toHaveURL(/\/$/);
    await expect(newcomer.getByRole("banner").getByRole("link", { name: `Mailed ${tag}` })).toBeVisible();
    await newcomer.context().close();
  });

  test("forgot password mails a link that sets a new one; the digest is chosen on the account page @mail @nojs", async ({ page, browser, baseURL, javaScriptEnabled }, testInfo) => {
    // A person of this story's own, invited by mail so that the story needs no other.
    const tag = unique("forgot", testInfo.project.name);
    const email = `${tag}@saomai.example`;
    await signIn(page, OWNER);
    const invited = await page.request.post("/api/admin/invite", {
      form: { role: "member", valid_days: "7", uses: "one", emails: email },
    });
    expect(invited.status(), await invited.text()).toBe(200);
    const joined = await browser.newContext({ baseURL });
    const joinPage = await joined.newPage();
    const token = linkIn(await mailTo(baseURL, email), `${baseURL}/join/`).split("/join/")[1];
    const response = await joinPage.request.post("/api/account/join", {
      form: { token, name: `Forgetful ${tag}`, email, password: "the first passphrase" },
    });
    expect(response.status(), await response.text()).toBe(200);

    const laptop = await (await browser.newContext({ baseURL, javaScriptEnabled })).newPage();
    await laptop.goto("/sign-in");
    await laptop.getByRole("link", { name: "Forgot password?" }).click();
    await laptop.getByLabel("Work e-mail").fill(email);
    await laptop.getByRole("button", { name: "Send me a link" }).click();
    await expect(laptop.getByTestId("forgot-sent")).toBeVisible();

    const reset = await mailTo(baseURL, email, "Set a new password");
    await laptop.goto(linkIn(reset, `${baseURL}/reset/`));
    await laptop.getByLabel("Password", { exact: true }).fill("a brand new passphrase");
    await laptop.getByRole("button", { name: "Set password and sign in" }).click();
    await expect(laptop).toHaveURL(/\/$/);
    await expect(laptop.getByRole("banner").getByRole("link", { name: `Forgetful ${tag}` })).toBeVisible();
    // They choose a daily digest on their account page.
    await laptop.goto("/account");
    await expect(laptop.getByLabel("Weekly, on Monday")).toBeChecked();
    await laptop.getByLabel("Every day").check();
    await laptop.getByTestId("save-digest").click();
    await expect(laptop.getByRole("status").filter({ hasText: "Saved." })).toBeVisible();
    await laptop.goto("/account");
    await expect(laptop.getByLabel("Every day")).toBeChecked();
    // The session made when joining ended with the reset.
    await joinPage.goto("/channels");
    await expect(joinPage).toHaveURL(/\/sign-in\?next=\/channels$/);
    await joined.close();
    await laptop.context().close();
  });
});
