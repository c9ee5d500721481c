import { UserServiceStackConfig } from '../user-service-stack';

/** The `production` environment of the documented user-service. */
export const production: UserServiceStackConfig = {
  name: 'production',
  namespace: 'production',
  image: 'myregistry.com/user-service:v1.2.3',
  autoscaling: { minReplicas: 3, maxReplicas: 10 },
};
