import type { Child } from 'hono/jsx';
import type { Locale } from './i18n.js';

/** What every hosted page shows around its content: language, stylesheet and the branding logo. */
export interface PageFrame {
  locale: Locale;
  /** Absolute path of the stylesheet (base CSS plus the pool's or client's branding). */
  stylesheet: string;
  logo?: { src: string; alt: string };
}

export interface LayoutProps {
  title: string;
  lang: string;
  stylesheet: string;
  logo?: { src: string; alt: string };
  children?: Child;
}

/**
 * Every hosted page: no scripts, one stylesheet from our own origin. The `*-customizable`
 * classes are Cognito's, so branding CSS written for Cognito's hosted UI applies here too.
 */
export function Layout({ title, lang, stylesheet, logo, children }: LayoutProps) {
  return (
    <html lang={lang}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{title}</title>
        <link rel="stylesheet" href={stylesheet} />
      </head>
      <body class="background-customizable">
        <main class="card">
          {logo && (
            <div class="banner-customizable">
              <img class="logo-customizable" src={logo.src} alt={logo.alt} />
            </div>
          )}
          {children}
        </main>
      </body>
    </html>
  );
}

export const BASE_CSS = `
*{box-sizing:border-box}body{margin:0;font:16px/1.5 system-ui,sans-serif;background:#f3f4f6;color:#111827}
.card{max-width:24rem;margin:4rem auto;padding:2rem;background:#fff;border-radius:.75rem;box-shadow:0 1px 3px rgba(0,0,0,.15)}
.banner-customizable{text-align:center;margin:0 0 1rem}.logo-customizable{max-width:100%;max-height:6rem}
h1{font-size:1.5rem;margin:0 0 1.5rem}label{display:block;font-weight:600;margin:1rem 0 .25rem}
input{width:100%;padding:.6rem;border:1px solid #6b7280;border-radius:.375rem;font:inherit}
input:focus,button:focus,a:focus{outline:3px solid #2563eb;outline-offset:2px}
input[aria-invalid=true]{border-color:#b91c1c;border-width:2px}.error{color:#b91c1c;margin:.25rem 0 0;font-weight:600}
.hint{color:#4b5563;font-size:.875rem;margin:.25rem 0 0}.hint ul{margin:.25rem 0 0;padding-left:1.25rem}
.alert{background:#fef2f2;border:1px solid #b91c1c;color:#7f1d1d;padding:.75rem;border-radius:.375rem}
.notice{background:#eff6ff;border:1px solid #1d4ed8;color:#1e3a8a;padding:.75rem;border-radius:.375rem}
button{margin-top:1.5rem;width:100%;padding:.7rem;border:0;border-radius:.375rem;background:#1d4ed8;color:#fff;font:inherit;font-weight:600;cursor:pointer}
button.secondary{background:#fff;color:#1d4ed8;border:1px solid #1d4ed8;margin-top:.75rem}
.links{margin-top:1.5rem;font-size:.95rem}.links p{margin:.25rem 0}
fieldset{border:0;padding:0;margin:1rem 0 0}legend{font-weight:600;padding:0}
.choice{display:flex;gap:.5rem;align-items:center;font-weight:400;margin:.75rem 0 0}.choice input{width:auto;margin:0}.scopes{margin:.5rem 0 1rem;padding-left:1.25rem}.scopes li{margin:.25rem 0}
a{color:#1d4ed8}
.providers .separator{text-align:center;color:#4b5563;margin:1.5rem 0 0}
a.provider-button{display:block;box-sizing:border-box;margin-top:.75rem;padding:.7rem;border:1px solid #1d4ed8;border-radius:.375rem;text-align:center;text-decoration:none;font-weight:600}
.identities{padding:0;list-style:none}.identities li{margin:.75rem 0}
`;
