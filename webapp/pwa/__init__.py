"""The installable PWA: web app manifest, service worker and offline page."""
