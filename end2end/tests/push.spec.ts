import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { createDecipheriv, createECDH, hkdfSync, randomBytes, type ECDH } from "node:crypto";
import { test, expect, signIn, invite, joinDirectly, call, unique, OWNER } from "./fixtures";

// The browser's own push service (Google's, for Chromium) is out of reach here, so the
// subscription the browser would hand the page is made with this test's keys and an
// endpoint on a push service the test runs on loopback (the test servers accept local
// endpoints: serve.sh). Everything else is real: the account page's island asks for
// permission and subscribes, the server encrypts each message for the device (RFC 8291)
// and posts it, and the test decrypts it as the browser would.

/** A push service on loopback that keeps every message it is sent. */
async function pushService() {
  const received: Buffer[] = [];
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      received.push(Buffer.concat(chunks));
      response.statusCode = 201;
      response.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  return { received, port, close: () => new Promise((resolve) => server.close(resolve)) };
}

/** An aes128gcm message (RFC 8188, one record) decrypted with the device's keys. */
function decrypt(body: Buffer, device: ECDH, auth: Buffer) {
  const salt = body.subarray(0, 16);
  const keyLength = body[20];
  const serverKey = body.subarray(21, 21 + keyLength);
  const sealed = body.subarray(21 + keyLength);
  const shared = device.computeSecret(serverKey);
  const keyInfo = Buffer.concat([Buffer.from("WebPush: info\0"), device.getPublicKey(), serverKey]);
  const ikm = Buffer.from(hkdfSync("sha256", shared, auth, keyInfo, 32));
  const key = Buffer.from(hkdfSync("sha256", ikm, salt, Buffer.from("Content-Encoding: aes128gcm\0"), 16));
  const nonce = Buffer.from(hkdfSync("sha256", ikm, salt, Buffer.from("Content-Encoding: nonce\0"), 12));
  const decipher = createDecipheriv("aes-128-gcm", key, nonce);
  decipher.setAuthTag(sealed.subarray(sealed.length - 16));
  const plain = Buffer.concat([decipher.update(sealed.subarray(0, sealed.length - 16)), decipher.final()]);
  // The last record ends with the delimiter 2, then zero padding.
  return JSON.parse(plain.subarray(0, plain.lastIndexOf(2)).toString("utf8"));
}

test.describe("push notifications", () => {
  test("a device turns push on, gets a mention encrypted for it and a test, and turns it off", async ({ page, browser, baseURL }, testInfo) => {
    const service = await pushService();
    const tag = unique("push", testInfo.project.name);
    // The handle is the address's local part: letters and digits only, to be sure.
    const handle = `push${Date.now().toString(36)}${randomBytes(3).toString("hex")}`;
    const device = createECDH("prime256v1");
    device.generateKeys();
    const auth = randomBytes(16);
    const endpoint = `http://127.0.0.1:${service.port}/device/${handle}`;

    const owner = await (await browser.newContext({ baseURL })).newPage();
    await signIn(owner, OWNER);
    await joinDirectly(page, await invite(owner), `Pushed ${tag}`, `${handle}@saomai.example`);

    await page.context().grantPermissions(["notifications"], { origin: baseURL });
    await page.addInitScript(({ endpoint, p256dh, auth }) => {
      let current: PushSubscription | null = null;
      const make = () => {
        const subscription = Object.create(PushSubscription.prototype);
        Object.defineProperties(subscription, {
          endpoint: { value: endpoint },
          toJSON: { value: () => ({ endpoint, expirationTime: null, keys: { p256dh, auth } }) },
          unsubscribe: { value: async () => ((current = null), true) },
        });
        return subscription as PushSubscription;
      };
      PushManager.prototype.subscribe = async function () {
        current = make();
        return current;
      };
      PushManager.prototype.getSubscription = async function () {
        return current;
      };
    }, { endpoint, p256dh: device.getPublicKey().toString("base64url"), auth: auth.toString("base64url") });

    await page.goto("/account");
    const section = page.locator(".push-settings");
    await expect(section).toHaveAttribute("data-hydrated", "true");
    const state = page.getByTestId("push-state");
    await expect(state).toHaveText("Off for this device.");
    await page.getByRole("button", { name: "Turn on for this device" }).click();
    await expect(state).toHaveText("On for this device.");
    await expect(page.getByRole("button", { name: "Turn on for this device" })).toBeHidden();

    // The owner mentions them: the message reaches the device, readable only with its keys.
    await call(owner, "posts/create", { channel: "general", kind: "update", body: `@${handle} xem giúp nhé ${tag}` });
    const messages = () => service.received.map((body) => decrypt(body, device, auth));
    await expect.poll(() => messages().find((m) => m.body.includes(tag)), { timeout: 15_000 }).toBeTruthy();
    const mention = messages().find((m) => m.body.includes(tag));
    expect(mention.title).toMatch(/^\S.* mentioned you · #\S+$/);
    expect(mention.url).toMatch(/^\/posts\/\d+$/);

    await page.getByRole("button", { name: "Send a test notification" }).click();
    await expect(state).toHaveText("Sent: it should appear in a few seconds.");
    await expect.poll(() => messages().some((m) => m.title === "Townhall notifications work"), { timeout: 15_000 }).toBe(true);

    await page.getByRole("button", { name: "Turn off on this device" }).click();
    await expect(state).toHaveText("Off for this device.");
    await page.goto("/account");
    await expect(page.getByTestId("push-devices")).toHaveText("No device gets them yet.");
    await owner.context().close();
    await service.close();
  });

  test("what reaches the devices and quiet hours are saved without JavaScript @nojs", async ({ page, browser, baseURL }, testInfo) => {
    const tag = unique("quiet", testInfo.project.name);
    const owner = await (await browser.newContext({ baseURL })).newPage();
    await signIn(owner, OWNER);
    await joinDirectly(page, await invite(owner), `Quiet ${tag}`, `${tag}@saomai.example`);
    await owner.context().close();
    await page.goto("/account");
    await expect(page.getByTestId("push-state")).toHaveText(/needs JavaScript|Off for this device/);
    const posts = page.getByLabel("New posts in channels you set to “All posts”");
    await expect(posts).toBeChecked();
    await posts.uncheck();
    await page.getByLabel("From", { exact: true }).fill("22:00");
    await page.getByLabel("To", { exact: true }).fill("07:00");
    await page.getByTestId("save-push").click();
    await expect(page.locator(".push-settings").getByRole("status").filter({ hasText: "Saved." })).toBeVisible();
    await page.goto("/account");
    await expect(posts).not.toBeChecked();
    await expect(page.getByLabel("Mentions of you and @channel")).toBeChecked();
    await expect(page.getByLabel("From", { exact: true })).toHaveValue("22:00");
    await expect(page.getByLabel("To", { exact: true })).toHaveValue("07:00");
    // Half a quiet period is refused, with the reason, and changes nothing.
    await page.getByLabel("To", { exact: true }).fill("");
    await page.getByTestId("save-push").click();
    await expect(page.getByText("Quiet hours: that value is not one Townhall accepts.")).toBeVisible();
    await page.goto("/account");
    await expect(page.getByLabel("To", { exact: true })).toHaveValue("07:00");
  });
});
