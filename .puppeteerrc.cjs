// Puppeteer (pa11y's browser driver) never downloads a browser here: the audit drives Debian's
// Chromium (/usr/bin/chromium, `make chromium`), as the browser tests do.
module.exports = { skipDownload: true };
