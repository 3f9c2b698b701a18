// Reads a canvas view's colours from the theme's CSS variables (canvas cannot use var()), so drawings follow the
// dark and light themes. Every palette has the panel's base colours; a view names its own on top.
/** A colour by name: the CSS variable it comes from, and the colour used when the variable is not set. */
export type PaletteSpec<K extends string> = Readonly<Record<K, readonly [variable: string, fallback: string]>>;

export const BASE_PALETTE = {
  bg: ['--bg-panel', '#161c24'],
  fg: ['--fg', '#dfe6ee'],
  muted: ['--fg-muted', '#8b98a8'],
  grid: ['--border', '#2a3441'],
} as const satisfies PaletteSpec<string>;

export type BasePalette = Record<keyof typeof BASE_PALETTE, string>;

export function readPalette<K extends string>(el: Element, spec: PaletteSpec<K>): BasePalette & Record<K, string> {
  const css = getComputedStyle(el);
  const out: Record<string, string> = {};
  for (const [name, [variable, fallback]] of Object.entries<readonly [string, string]>({ ...BASE_PALETTE, ...spec })) {
    out[name] = css.getPropertyValue(variable).trim() || fallback;
  }
  return out as BasePalette & Record<K, string>;
}
