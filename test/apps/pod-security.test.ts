import { join } from 'node:path';
import { expectRestricted, loadDistManifests } from '../support/pod-security';

test('every pod template in the committed dist/ passes Pod Security Standards restricted', () => {
  expectRestricted(loadDistManifests(join(__dirname, '../../dist')));
});
