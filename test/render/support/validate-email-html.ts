import { HtmlValidate, type ConfigData } from 'html-validate';

/**
 * html-validate's recommended rules, minus the ones that forbid what email HTML needs. Every
 * other rule (well-formed markup, unique ids, attribute quoting, heading order, accessible
 * names, ...) stays on.
 */
export const EMAIL_HTML_VALIDATE_CONFIG: ConfigData = {
  extends: ['html-validate:recommended'],
  rules: {
    // Many clients (Gmail's non-Google accounts, older Outlook, some webmail) drop <style>, so
    // email styles must be inline; MJML inlines them on purpose.
    'no-inline-style': 'off',
    // Outlook's Word engine ignores CSS box properties on tables; it needs cellpadding,
    // cellspacing, border, align and width attributes, which MJML emits.
    'no-deprecated-attr': 'off',
    // <!--[if mso]> comments are how MJML gives Outlook its table layout; browsers ignore them.
    'no-conditional-comment': 'off',
    // MJML writes <!doctype html>; the doctype is case-insensitive.
    'doctype-style': 'off',
    // <title> is the subject (up to 150 characters by design); the 70-character limit is a
    // search-engine heuristic for web pages.
    'long-title': 'off',
    // MJML wraps the body in <div role="article" aria-roledescription="email">, the pattern
    // screen readers support in mail clients, some of which restyle or strip <article>.
    'prefer-native-element': ['error', { exclude: ['article'] }],
  },
};

const validator = new HtmlValidate(EMAIL_HTML_VALIDATE_CONFIG);

/** Validates an email's HTML; returns one "line:col rule message" string per problem. */
export async function validateEmailHtml(html: string): Promise<string[]> {
  const report = await validator.validateString(html);
  return report.results.flatMap((r) => r.messages.map((m) => `${m.line}:${m.column} ${m.ruleId} ${m.message}`));
}
