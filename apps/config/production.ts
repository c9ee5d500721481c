import { ShopConfig } from './shop-config';

/** The `production` environment: five replicas; user-service autoscales 3-10 as documented. */
export const production: ShopConfig = {
  name: 'production',
  namespace: 'production',
  replicas: 5,
  hosts: { api: 'api.company.com', app: 'app.company.com' },
  services: {
    'frontend': { repository: 'frontend', tag: 'v2.4.0' },
    'user-service': { repository: 'user-service', tag: 'v1.2.3', autoscaling: { minReplicas: 3, maxReplicas: 10 } },
    'order-service': { repository: 'order-service', tag: 'v3.1.0' },
    'payment-service': {
      repository: 'payment-service',
      tag: 'v1.8.2',
      resources: { requests: { cpu: '500m', memory: '512Mi' }, limits: { cpu: '1', memory: '1Gi' } },
    },
  },
};
