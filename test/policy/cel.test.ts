import { CelExpression, toCel } from '../../lib/policy/cel';

describe('CelExpression', () => {
  const object = {
    metadata: { name: 'api', labels: { app: 'api' } },
    spec: { replicas: 3, containers: [{ name: 'main', image: 'registry.example.com/api:v1' }] },
  };

  test.each([
    ["has(object.metadata.labels) && 'app' in object.metadata.labels", true],
    ['has(object.spec.hostNetwork)', false],
    ["object.spec.containers.all(c, c.image.startsWith('registry.example.com/'))", true],
    ["object.spec.containers.exists(c, c.image.endsWith(':latest'))", false],
    ["object.spec.containers.map(c, c.name) == ['main']", true],
    ["size(object.spec.containers.filter(c, c.name.matches('^ma')))", 1],
    ['object.spec.replicas > 2', true],
    ["object.spec.containers[0].image.substring(object.spec.containers[0].image.lastIndexOf('/') + 1)", 'api:v1'],
    ["'a,b'.split(',')", ['a', 'b']],
    ["{'k': 1}.all(k, k in ['k'])", true],
  ])('evaluates %s', (source, expected) => {
    expect(new CelExpression(source).evaluate({ object })).toEqual({ ok: true, value: expected });
  });

  test('reports evaluation errors instead of throwing', () => {
    expect(new CelExpression('object.metadata.missing').evaluate({ object })).toEqual({ ok: false, error: expect.stringMatching(/missing/) });
  });

  test('throws on a syntax error', () => {
    expect(() => new CelExpression('object.(')).toThrow(/invalid CEL expression/);
  });

  test('whole numbers become CEL ints', () => {
    expect(toCel(3)).toBe(3n);
    expect(toCel(0.5)).toBe(0.5);
  });
});
