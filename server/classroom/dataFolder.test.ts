import { describe, expect, it } from 'vitest';
import { defaultDataFolder } from './dataFolder.js';

describe('default data folder', () => {
  it('is gonet-lab under XDG_DATA_HOME, or under ~/.local/share when that is unset or relative', () => {
    expect(defaultDataFolder({ XDG_DATA_HOME: '/data' }, '/home/t')).toBe('/data/gonet-lab');
    expect(defaultDataFolder({}, '/home/t')).toBe('/home/t/.local/share/gonet-lab');
    expect(defaultDataFolder({ XDG_DATA_HOME: 'rel' }, '/home/t')).toBe('/home/t/.local/share/gonet-lab');
  });
});
