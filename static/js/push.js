// Web Push on this device: a button that asks permission only when tapped, then subscribes.

import { api, idempotencyKey } from "./http.js";
import { t } from "./i18n.js";

function b64urlToBytes(text) {
  const padded = (text + "===".slice((text.length + 3) % 4)).replace(/-/g, "+").replace(/_/g, "/");
  return Uint8Array.from(atob(padded), (c) => c.charCodeAt(0));
}

function isIos() {
  return /iPad|iPhone|iPod/.test(navigator.userAgent) || (navigator.platform === "MacIntel" && navigator.maxTouchPoints > 1);
}

function isStandalone() {
  return window.matchMedia("(display-mode: standalone)").matches || navigator.standalone === true;
}

function say(box, text) {
  box.querySelector(".push-state").textContent = text;
}

async function currentSubscription() {
  const registration = await navigator.serviceWorker.ready;
  return registration.pushManager.getSubscription();
}

async function refresh(box) {
  const on = box.querySelector(".push-on");
  const off = box.querySelector(".push-off");
  const supported = "serviceWorker" in navigator && "PushManager" in window && "Notification" in window;
  box.querySelector(".push-ios").hidden = !(isIos() && !isStandalone());
  if (!supported) {
    on.hidden = off.hidden = true;
    say(box, isIos() ? "" : t("Ce navigateur ne permet pas les notifications. Vous les retrouverez ici et par e-mail."));
    return;
  }
  const subscription = await currentSubscription();
  on.hidden = Boolean(subscription);
  off.hidden = !subscription;
  if (Notification.permission === "denied") {
    on.hidden = true;
    say(box, t("Les notifications sont bloquées pour Tandem dans les réglages du navigateur."));
  } else {
    say(box, subscription ? t("Les notifications sont activées sur cet appareil.")
      : t("Les notifications ne sont pas activées sur cet appareil."));
  }
}

async function enable(box) {
  // Permission is asked here, on a tap, never on page load.
  const permission = await Notification.requestPermission();
  if (permission !== "granted") return refresh(box);
  const { key } = await api("GET", "/api/v1/push/vapid-public-key");
  const registration = await navigator.serviceWorker.ready;
  const subscription = await registration.pushManager.subscribe({
    userVisibleOnly: true, applicationServerKey: b64urlToBytes(key),
  });
  await api("POST", "/api/v1/push/subscriptions", { ...subscription.toJSON(), user_agent: navigator.userAgent },
    { "Idempotency-Key": idempotencyKey() });
  return refresh(box);
}

async function disable(box) {
  const subscription = await currentSubscription();
  if (subscription) {
    await api("DELETE", "/api/v1/push/subscriptions", { endpoint: subscription.endpoint },
      { "Idempotency-Key": idempotencyKey() });
    await subscription.unsubscribe();
  }
  return refresh(box);
}

const box = document.getElementById("push-device");
if (box) {
  const guard = (fn) => () => fn(box).catch((error) => say(box, t("Échec : %(message)s", { message: error.message })));
  box.querySelector(".push-on").addEventListener("click", guard(enable));
  box.querySelector(".push-off").addEventListener("click", guard(disable));
  refresh(box).catch(() => {});
}
