/**
 * The part of playwright-core's API that test/browser.test.ts drives. The
 * package is not a devDependency (see ../optional-packages.ts), so its own
 * types are not always there to check against.
 */

/** A request or a response the page made, as its listeners see it. */
interface Exchange {
  url(): string;
}

/** One tab. */
export interface Page {
  on(event: "pageerror", listener: (error: Error) => void): void;
  on(event: "request", listener: (request: Exchange & { headers(): Record<string, string> }) => void): void;
  on(event: "response", listener: (response: Exchange & { text(): Promise<string> }) => void): void;
  goto(url: string): Promise<unknown>;
  waitForFunction(check: () => boolean, arg: undefined, options: { timeout: number }): Promise<unknown>;
  evaluate<T>(code: () => T): Promise<Awaited<T>>;
  locator(selector: string): { isVisible(): Promise<boolean>; textContent(): Promise<string | null> };
  content(): Promise<string>;
  screenshot(options: { path: string }): Promise<unknown>;
}

/** A launched browser. */
export interface Browser {
  newPage(options: { viewport: { width: number; height: number } }): Promise<Page>;
  close(): Promise<void>;
}

/** The module: its Chromium launcher. */
export interface Playwright {
  chromium: { launch(options: { executablePath: string; args: string[] }): Promise<Browser> };
}
