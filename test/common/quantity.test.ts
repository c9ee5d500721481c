import { Testing } from 'cdk8s';
import { Construct } from 'constructs';
import { requireRequestWithinLimit } from '../../lib/common/quantity';

describe('requireRequestWithinLimit', () => {
  const scope = () => new Construct(Testing.chart(), 'x');

  test('returns the request and the limit in base units', () => {
    expect(requireRequestWithinLimit(scope(), "'requests.cpu'", '250m', "'limits.cpu'", '1', '500m')).toEqual({ request: 0.25, limit: 1 });
  });

  test('throws when the limit is below the request', () => {
    expect(() => requireRequestWithinLimit(scope(), "'requests.memory'", '1Gi', "'limits.memory'", '512Mi', '512Mi'))
      .toThrow("'test/x': 'limits.memory' (512Mi) must be at least 'requests.memory' (1Gi); raise the limit or lower the request.");
  });

  test('throws for a quantity it cannot read', () => {
    expect(() => requireRequestWithinLimit(scope(), "'requests.cpu'", 'lots', "'limits.cpu'", '1', '500m')).toThrow(/'requests.cpu' 'lots' is not a valid Kubernetes quantity/);
  });
});
