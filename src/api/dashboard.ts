/**
 * The first dashboard: the posts as they are published, following the outbox
 * through the API. Text is inserted with textContent, never as HTML.
 */
export const DASHBOARD_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Wire Report</title>
<style>
  body { font: 15px/1.45 system-ui, sans-serif; margin: 0; background: #0f1419; color: #e7e9ea; }
  header { padding: 12px 16px; border-bottom: 1px solid #2f3336; display: flex; gap: 16px; align-items: baseline; flex-wrap: wrap; }
  h1 { font-size: 18px; margin: 0; }
  #counts { color: #8b98a5; font-size: 13px; }
  main { max-width: 720px; margin: 0 auto; padding: 8px 12px; }
  .post { border-bottom: 1px solid #2f3336; padding: 10px 4px; }
  .meta { color: #8b98a5; font-size: 12px; margin-bottom: 4px; }
  .platform { display: inline-block; padding: 0 6px; border-radius: 8px; background: #1d9bf0; color: #fff; margin-right: 6px; }
  .empty { color: #8b98a5; padding: 24px 4px; }
</style>
</head>
<body>
<header><h1>Wire Report</h1><span id="counts">connecting…</span></header>
<main><div id="posts"><p class="empty">Waiting for the first post…</p></div></main>
<script>
let after = undefined;
const posts = document.getElementById('posts');
async function poll() {
  try {
    const q = after === undefined ? '?limit=100' : '?limit=100&after=' + after;
    const r = await fetch('/api/outbox' + q);
    const { messages } = await r.json();
    const sorted = after === undefined ? messages.slice().reverse() : messages;
    for (const m of sorted) {
      if (posts.querySelector('.empty')) posts.textContent = '';
      const div = document.createElement('div');
      div.className = 'post';
      const meta = document.createElement('div');
      meta.className = 'meta';
      const badge = document.createElement('span');
      badge.className = 'platform';
      badge.textContent = m.platform;
      meta.append(badge, m.handle + ' · ' + new Date(m.sentAt).toLocaleTimeString());
      const text = document.createElement('div');
      text.textContent = m.text;
      div.append(meta, text);
      posts.prepend(div);
      after = Math.max(after ?? 0, m.id);
    }
    if (after === undefined && messages.length === 0) after = 0;
    const c = await (await fetch('/api/posts/counts')).json();
    document.getElementById('counts').textContent = Object.entries(c.counts).map(([k, v]) => k + ' ' + v).join(' · ') || 'no posts yet';
  } catch (e) {
    document.getElementById('counts').textContent = 'engine unreachable';
  }
}
poll();
setInterval(poll, 1000);
</script>
</body>
</html>
`;
