import { ApiObject } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';

/**
 * A `KubeConfigMap` whose rendering is linear in its number of keys. The generated
 * `toJson_KubeConfigMapProps` copies the whole map once per key (`reduce` with an object spread),
 * so a 10,000-key ConfigMap took minutes; for a ConfigMap that converter renames no field, so
 * `ApiObject.toJson()` alone (resolve, sort keys, JSON patches, `apiVersion`/`kind`/`metadata`
 * first) gives the same object, byte for byte once written.
 */
export class LinearKubeConfigMap extends k8s.KubeConfigMap {
  public override toJson(): any {
    return ApiObject.prototype.toJson.call(this);
  }
}
