// Renders the marketplace icon (media/icon.png, 256×256) from media/entitlements.svg with the
// Chromium the real-editor tests use: a white shield on a blue rounded square. Run after editing the SVG.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { chromiumPath } from './realEditor/tools.mjs';

const root = join(import.meta.dirname, '..');
const svg = readFileSync(join(root, 'media', 'entitlements.svg'), 'utf8')
  .replace('stroke="currentColor"', 'stroke="#ffffff"')
  .replace('width="24" height="24"', 'width="176" height="176"');
const html = `<html><body style="margin:0;background:transparent">
<div style="width:256px;height:256px;border-radius:44px;background:linear-gradient(135deg,#1464b4,#0b2a4a);display:flex;align-items:center;justify-content:center">${svg}</div>
</body></html>`;
const browser = await chromium.launch({ executablePath: chromiumPath(), headless: true, args: ['--no-sandbox'] });
try {
  const page = await browser.newPage({ viewport: { width: 256, height: 256 } });
  await page.setContent(html);
  await page.screenshot({ path: join(root, 'media', 'icon.png'), omitBackground: true });
} finally {
  await browser.close();
}
console.log('media/icon.png written');
