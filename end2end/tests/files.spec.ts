import * as zlib from "node:zlib";
import { test, expect, signIn, privateChannelWith, unique } from "./fixtures";

/** A real PNG of `width` × `height` pixels, so the server has a picture to make previews of. */
function png(width: number, height: number): Buffer {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (bytes: Buffer) => {
    let c = 0xffffffff;
    for (const b of bytes) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (kind: string, data: Buffer) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(kind, "ascii"), data]);
    const sum = Buffer.alloc(4);
    sum.writeUInt32BE(crc(body));
    return Buffer.concat([length, body, sum]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8); // 8-bit RGB
  const rows = Buffer.alloc((width * 3 + 1) * height, 0x80);
  for (let y = 0; y < height; y++) rows[y * (width * 3 + 1)] = 0; // filter: none
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", header),
    chunk("IDAT", zlib.deflateSync(rows)),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}
const PNG = png(64, 48);
const PDF = Buffer.from("%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n");

test.describe("attachments", () => {
  test("two pictures and a PDF go with a post in a private channel, picked and dropped, with progress: thumbnails with a lightbox, the PDF in the viewer, nothing for an outsider @nojs @storage", async ({ page, browser, javaScriptEnabled }, testInfo) => {
    const { baseURL } = testInfo.project.use;
    const name = unique("Xưởng", testInfo.project.name);
    const text = `Ảnh xưởng và báo giá ${Math.random().toString(36).slice(2, 8)}`;
    await signIn(page, "emily.chen@saomai.example");
    const path = await privateChannelWith(page, name, "Tom Becker");
    await page.goto(path);
    await page.getByLabel("Post", { exact: true }).fill(text);
    const picker = page.locator(".composer input[data-attach-input]");
    const photo = { name: "Sơ đồ xưởng.png", mimeType: "image/png", buffer: PNG };
    const plan = { name: "Mặt bằng.png", mimeType: "image/png", buffer: png(120, 80) };
    const quote = { name: "Báo giá Q3.pdf", mimeType: "application/pdf", buffer: PDF };
    if (javaScriptEnabled) {
      // The uploads are held back a moment, so their progress bars can be seen, and
      // the post waits for them.
      let release = () => {};
      const held = new Promise<void>((resolve) => (release = resolve));
      await page.route("**/files", async (route) => {
        await held;
        await route.continue();
      });
      await picker.setInputFiles([photo, quote]);
      await expect(page.locator(".composer .attach-item progress")).toHaveCount(2);
      await expect(page.getByRole("button", { name: "Post", exact: true })).toBeDisabled();
      release();
      // Uploaded, each listed with a way to take it out.
      const items = page.locator(".composer .attach-item[data-key]");
      await expect(items).toHaveCount(2);
      await expect(page.locator(".composer .attach-item progress")).toHaveCount(0);
      await page.unroute("**/files");
      // The second picture dropped on the composer.
      const dropped = await page.evaluateHandle((bytes) => {
        const data = new DataTransfer();
        data.items.add(new File([new Uint8Array(bytes)], "Mặt bằng.png", { type: "image/png" }));
        return data;
      }, [...plan.buffer]);
      await page.locator(".composer-form").dispatchEvent("drop", { dataTransfer: dropped });
      await expect(items).toHaveCount(3);
      await expect(items.first()).toContainText("Sơ đồ xưởng.png");
      // A fourth file, taken out again before posting, goes nowhere.
      await picker.setInputFiles([{ name: "nhầm.txt", mimeType: "text/plain", buffer: Buffer.from("oops") }]);
      await expect(items).toHaveCount(4);
      await items.filter({ hasText: "nhầm.txt" }).getByRole("button", { name: "Remove" }).click();
      await expect(items).toHaveCount(3);
    } else {
      await picker.setInputFiles([photo, plan, quote]);
    }
    await page.getByRole("button", { name: "Post", exact: true }).click();
    const post = page.locator(".post", { hasText: text });
    await expect(post).toHaveCount(1);
    await expect(post).not.toContainText("nhầm.txt");
    const thumbnails = post.locator(".attachment-image img");
    await expect(thumbnails).toHaveCount(2);
    const thumbnail = thumbnails.first();
    await expect(thumbnail).toHaveAttribute("alt", "Sơ đồ xưởng.png");
    await expect(thumbnails.last()).toHaveAttribute("alt", "Mặt bằng.png");
    for (const img of await thumbnails.all()) {
      await expect.poll(() => img.evaluate((i: HTMLImageElement) => i.naturalWidth)).toBeGreaterThan(0);
    }
    if (javaScriptEnabled) {
      await expect(page.locator(".composer .attach-item")).toHaveCount(0);
    }

    // The lightbox opens on the large preview and closes again, without script.
    await thumbnail.click();
    const lightbox = page.locator(".lightbox:target");
    await expect(lightbox.locator("img")).toBeVisible();
    await lightbox.getByRole("link", { name: "Close" }).click();
    await expect(page.locator(".lightbox:target")).toHaveCount(0);

    // The PDF is a chip that opens in the browser's viewer.
    const chip = post.locator(".attachment-chip", { hasText: "Báo giá Q3.pdf" });
    await expect(chip).toContainText("PDF");
    await expect(chip).toHaveAttribute("target", "_blank");
    const href = (await chip.getAttribute("href"))!;
    const own = await page.request.get(href);
    expect(own.status()).toBe(200);
    expect(own.headers()["content-type"]).toBe("application/pdf");
    expect(own.headers()["content-disposition"]).toMatch(/^inline; .*filename\*=UTF-8''B%C3%A1o/);
    expect(own.headers()["x-content-type-options"]).toBe("nosniff");

    // A member of the channel reads it; someone outside gets what a missing file gets.
    const tomDevice = await browser.newContext({ baseURL, javaScriptEnabled });
    const tom = await tomDevice.newPage();
    await signIn(tom, "tom.becker@saomai.example");
    expect((await tom.request.get(href)).status()).toBe(200);
    await tomDevice.close();
    const lucasDevice = await browser.newContext({ baseURL, javaScriptEnabled });
    const lucas = await lucasDevice.newPage();
    await signIn(lucas, "lucas.martin@saomai.example");
    const refused = await lucas.request.get(href);
    expect(refused.status()).toBe(404);
    expect(await refused.text()).not.toContain("PDF");
    await lucas.goto("/search?q=bao+gia+q3");
    await expect(lucas.locator(".hit")).toHaveCount(0);
    await lucasDevice.close();
  });

  // Not tagged @nojs: dropping and pasting need the island.
  test("a file dropped on a comment box or pasted into the composer is attached, with its progress shown", async ({ page }, testInfo) => {
    const text = `Kéo thả ${Math.random().toString(36).slice(2, 8)}`;
    await signIn(page, "emily.chen@saomai.example");
    await page.goto("/channels/general");
    const composer = page.locator(".composer").first();
    await composer.getByLabel("Post", { exact: true }).fill(text);
    // As a browser pastes a copied file: a ClipboardEvent carrying it.
    await composer.getByLabel("Post", { exact: true }).evaluate((box) => {
      const data = new DataTransfer();
      data.items.add(new File(["ghi chú"], "ghi-chu.txt", { type: "text/plain" }));
      box.dispatchEvent(new ClipboardEvent("paste", { clipboardData: data, bubbles: true, cancelable: true }));
    });
    await expect(composer.locator(".attach-item[data-key]")).toContainText("ghi-chu.txt");
    await page.getByRole("button", { name: "Post", exact: true }).click();
    const post = page.locator(".post", { hasText: text });
    await expect(post.locator(".attachment-chip")).toContainText("ghi-chu.txt");

    const dropped = await page.evaluateHandle(() => {
      const data = new DataTransfer();
      data.items.add(new File(["a,b\n1,2\n"], "số liệu.csv", { type: "text/csv" }));
      return data;
    });
    const form = post.locator(".comment-form").first();
    await form.locator("textarea").fill("Số liệu đây");
    await form.dispatchEvent("drop", { dataTransfer: dropped });
    await expect(form.locator(".attach-item[data-key]")).toContainText("số liệu.csv");
    await form.locator("button[type=submit]").click();
    await expect(post.locator(".comment .attachment-chip")).toContainText("số liệu.csv");
    testInfo.annotations.push({ type: "project", description: testInfo.project.name });
  });

  test("a knowledge page carries a form to download, which its editor can take off again @nojs @storage", async ({ page, javaScriptEnabled }, testInfo) => {
    const tag = unique("Mẫu", testInfo.project.name);
    await signIn(page, "dang.thi.huong@saomai.example");
    await page.goto("/pages/new");
    await page.locator('select[name="space"]').selectOption({ label: "Department: Nhân sự & Tài chính" });
    await page.locator('input[name="title"]').fill(`Đề nghị tạm ứng ${tag}`);
    await page.locator('textarea[name="body"]').fill("Fill in the form and send it to HR.");
    await page.locator(".page-form input[data-attach-input]").setInputFiles([
      { name: "Mẫu tạm ứng.csv", mimeType: "text/csv", buffer: Buffer.from(`ho ten,so tien\n${tag},1000000\n`) },
    ]);
    if (javaScriptEnabled) {
      await expect(page.locator(".page-form .attach-item[data-key]")).toHaveCount(1);
    }
    await page.getByRole("button", { name: "Create page" }).click();
    await expect(page).toHaveURL(/\/pages\/\d+$/);
    const chip = page.locator(".knowledge-page .attachment-chip", { hasText: "Mẫu tạm ứng.csv" });
    await expect(chip).toBeVisible();
    const file = await page.request.get((await chip.getAttribute("href"))!);
    expect(await file.text()).toContain(tag);

    await page.locator(".page-files-edit summary").click();
    await page.getByRole("button", { name: "Remove Mẫu tạm ứng.csv" }).click();
    await expect(page).toHaveURL(/\/pages\/\d+$/);
    await expect(page.locator(".knowledge-page .attachment-chip")).toHaveCount(0);
  });
});
