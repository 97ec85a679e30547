import { launchBrowser, startStaticServer } from '/work/main/tests/browser/harness';
const quota = process.argv[2] ? Number(process.argv[2]) : 0;
const corp = process.argv[3] ?? 'same-origin';
const app = await startStaticServer('/tmp/exp/site');
const other = await startStaticServer('/tmp/exp/site', { headers: { 'Access-Control-Allow-Origin': '*', 'Cross-Origin-Resource-Policy': corp }, handle: (req, res) => { if (req.method === 'OPTIONS') { console.log('PREFLIGHT', req.headers); res.writeHead(204, {'Access-Control-Allow-Origin': '*', 'Access-Control-Allow-Headers': 'range'}).end(); return true; } return false; } });
const b = await launchBrowser();
await b.page.goto(app.url);
if (quota) { const cdp = await b.context.newCDPSession(b.page); await cdp.send('Storage.overrideQuotaForOrigin', { origin: app.url.slice(0, -1), quotaSize: quota }); }
console.log((await b.page.evaluate((o) => (window as any).runWorker({ other: o }), other.url)));
console.log(await b.page.evaluate(() => [typeof navigator.storage.persist, navigator.storage.persist()]));
console.log(other.requests);
await b.close(); await app.close(); await other.close();
