import { ShopConfig } from './shop-config';

/** The `staging` environment: two of everything, a smaller autoscaler range. */
export const staging: ShopConfig = {
  name: 'staging',
  namespace: 'staging',
  replicas: 2,
  hosts: { api: 'api.staging.company.com', app: 'app.staging.company.com' },
  services: {
    'frontend': { repository: 'frontend', tag: 'v2.4.0' },
    'user-service': { repository: 'user-service', tag: 'v1.2.3', autoscaling: { minReplicas: 2, maxReplicas: 4 } },
    'order-service': { repository: 'order-service', tag: 'v3.1.0' },
    'payment-service': { repository: 'payment-service', tag: 'v1.8.2' },
  },
};
