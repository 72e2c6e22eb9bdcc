// Reads the messages the real SMTP server (aiosmtpd, Maildir) received.
const fs = require('fs');
const path = require('path');

function messages() {
  const dir = path.join(process.env.TRELLIS_E2E_MAILDIR, 'new');
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir).map((f) => fs.readFileSync(path.join(dir, f), 'utf8'));
}

/** Waits for a message to `to` whose text matches `pattern`, and returns that text. */
async function waitForMail(to, pattern, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const found = messages().find((m) => m.toLowerCase().includes(`to: ${to.toLowerCase()}`) && pattern.test(decode(m)));
    if (found) return decode(found);
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`no email to ${to} matching ${pattern} within ${timeoutMs} ms`);
}

/** Undoes quoted-printable soft breaks and escapes so links can be read. */
function decode(raw) {
  return raw.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/g, (_, h) => String.fromCharCode(parseInt(h, 16)));
}

module.exports = { waitForMail };
