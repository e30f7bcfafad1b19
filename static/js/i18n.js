// The scripts' strings in the person's language. Strings are written in French (the source language);
// the page carries their translations in a JSON block (webapp/core/jsi18n.py). A missing entry shows French.

const catalogue = JSON.parse(document.getElementById("js-i18n")?.textContent || "{}");
export const lang = document.documentElement.lang || "fr";
const plurals = new Intl.PluralRules(lang);

function fill(text, values) {
  return text.replace(/%\((\w+)\)[sd]/g, (_, name) => String(values[name] ?? ""));
}

/** t("Fichier trop volumineux : %(size)s Mo.", { size }) */
export function t(message, values = {}) {
  const text = catalogue[message];
  return fill(typeof text === "string" ? text : message, values);
}

/** tn(count, "%(num)d capture", "%(num)d captures"): the form for ``count`` in the page's language. */
export function tn(count, singular, plural, values = {}) {
  const forms = catalogue[singular];
  const one = plurals.select(count) === "one";
  const text = Array.isArray(forms) ? forms[one ? 0 : Math.min(1, forms.length - 1)] : (one ? singular : plural);
  return fill(text, { num: count, ...values });
}
