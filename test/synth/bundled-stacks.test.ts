import * as fs from 'fs';
import { readTree, tmpDir } from './compare';
import { createBundledApps } from '../../apps/bundled-app';
import { synthApp } from '../../lib/synth';

test('synthApp writes the bundled app stacks byte-identically to stock App.synth()', () => {
  const env = { IMAGE_TAG: 'v1.0.0' };
  const stockDir = tmpDir();
  const oursDir = tmpDir();
  try {
    for (const { app } of createBundledApps(stockDir, { env })) app.synth();
    for (const { app } of createBundledApps(oursDir, { env })) synthApp(app);
    const stock = readTree(stockDir);
    expect(Object.keys(stock).length).toBeGreaterThan(3);
    expect(readTree(oursDir)).toEqual(stock);
  } finally {
    fs.rmSync(stockDir, { recursive: true, force: true });
    fs.rmSync(oursDir, { recursive: true, force: true });
  }
});
