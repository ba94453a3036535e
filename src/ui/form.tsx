import type { Child } from 'hono/jsx';
import { format, type Messages } from './i18n.js';

/** What every hosted form posts besides its fields: the CSRF token and the authorization request. */
export interface FormBase {
  action: string;
  csrf: string;
  /** The authorization request, carried through the form unchanged. */
  request: string;
}

export function HostedForm({ form, hidden = {}, children }: { form: FormBase; hidden?: Record<string, string>; children?: Child }) {
  return (
    <form method="post" action={form.action} novalidate>
      <input type="hidden" name="_csrf" value={form.csrf} />
      <input type="hidden" name="request" value={form.request} />
      {Object.entries(hidden).map(([name, value]) => (
        <input type="hidden" name={name} value={value} />
      ))}
      {children}
    </form>
  );
}

export interface FieldProps {
  /** Form field name; the element id is derived from it. */
  name: string;
  label: string;
  type?: string;
  autocomplete?: string;
  inputmode?: 'numeric' | 'email' | 'tel' | 'text' | 'url';
  value?: string;
  error?: string;
  /** Help shown under the field and announced with it. */
  hint?: Child;
  /** Ids of other elements that describe this field, such as a form-level alert. */
  describedBy?: string[];
  autofocus?: boolean;
  required?: boolean;
  /** Marks the field invalid when the error is told elsewhere (a form-level alert). */
  invalid?: boolean;
}

export function fieldId(name: string): string {
  return `f-${name.replace(/[^A-Za-z0-9_-]/g, '-')}`;
}

/** A labelled input whose hint and error are tied to it with aria-describedby. */
export function Field({ name, label, type = 'text', autocomplete, inputmode, value, error, hint, describedBy = [], autofocus, required = true, invalid }: FieldProps) {
  const id = fieldId(name);
  const ids = [...describedBy, ...(hint ? [`${id}-hint`] : []), ...(error ? [`${id}-error`] : [])];
  return (
    <div class="field">
      <label for={id} class="label-customizable">{label}</label>
      <input id={id} name={name} type={type} class="inputField-customizable" autocomplete={autocomplete} inputmode={inputmode}
        value={type === 'password' ? undefined : (value ?? '')} required={required} autofocus={autofocus}
        aria-invalid={error || invalid ? 'true' : undefined} aria-describedby={ids.length > 0 ? ids.join(' ') : undefined} />
      {hint && <div id={`${id}-hint`} class="hint textDescription-customizable">{hint}</div>}
      {error && <p id={`${id}-error`} class="error errorMessage-customizable">{error}</p>}
    </div>
  );
}

export function Alert({ message, id = 'form-error' }: { message?: string; id?: string }) {
  if (!message) return null;
  return <p class="alert errorMessage-customizable" id={id} role="alert">{message}</p>;
}

export function Notice({ message }: { message?: string }) {
  if (!message) return null;
  return <p class="notice textDescription-customizable" role="status">{message}</p>;
}

export function Submit({ label, secondary }: { label: string; secondary?: boolean }) {
  return <button type="submit" class={secondary ? 'secondary submitButton-customizable' : 'submitButton-customizable'}>{label}</button>;
}

export interface PageLink {
  href: string;
  label: string;
  /** Text before the link, e.g. "Need an account?". */
  prompt?: string;
}

export function Links({ links }: { links: PageLink[] }) {
  if (links.length === 0) return null;
  return (
    <nav class="links">
      {links.map((link) => (
        <p>
          {link.prompt && <span class="textDescription-customizable">{link.prompt} </span>}
          <a class="redirect-customizable" href={link.href}>{link.label}</a>
        </p>
      ))}
    </nav>
  );
}

/** The pool's password policy, as the hint of a new-password field. */
export interface PasswordRules {
  minLength: number;
  upper: boolean;
  lower: boolean;
  number: boolean;
  symbol: boolean;
}

export function PasswordHint({ t, rules }: { t: Messages; rules: PasswordRules }) {
  const items = [
    format(t.ruleLength, { n: rules.minLength }),
    ...(rules.upper ? [t.ruleUpper] : []),
    ...(rules.lower ? [t.ruleLower] : []),
    ...(rules.number ? [t.ruleNumber] : []),
    ...(rules.symbol ? [t.ruleSymbol] : []),
  ];
  return (
    <>
      {t.passwordRules}
      <ul>
        {items.map((item) => (
          <li>{item}</li>
        ))}
      </ul>
    </>
  );
}

/** The summary at the top of a form: the given message, or a pointer to the fields marked below. */
export function errorSummary(t: Messages, alert: string | undefined, errors: Record<string, string | undefined>): string | undefined {
  return alert ?? (Object.values(errors).some(Boolean) ? t.fixErrors : undefined);
}
