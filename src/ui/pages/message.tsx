import { Links, type PageLink } from '../form.js';
import { Layout, type PageFrame } from '../layout.js';

export interface MessagePageProps {
  frame: PageFrame;
  title: string;
  message: string;
  links?: PageLink[];
}

/** Errors that must not redirect (bad client or redirect URI) and plain notices. */
export function MessagePage({ frame, title, message, links = [] }: MessagePageProps) {
  return (
    <Layout title={title} lang={frame.locale.lang} stylesheet={frame.stylesheet} logo={frame.logo}>
      <h1>{title}</h1>
      <p role="alert">{message}</p>
      <Links links={links} />
    </Layout>
  );
}
