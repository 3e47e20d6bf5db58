import { defineHelmApp } from '../../src/model/helm-app';
import { neededSecrets, secretReferences } from '../../src/render/secrets/secret-references';
import { miniFleet } from '../support/fleet-fixtures';

describe("the cluster's pull secrets reach the namespaces of its apps", () => {
  // GIVEN service web in namespace shop and a Helm app alone in namespace monitoring (seed 004's kube-prometheus-stack)
  const fleet = (apps: string[]) =>
    miniFleet({
      cluster: { apps, secrets: { backend: 'sops', ageRecipient: 'age1k8qng6vfhf872gkmj298apaenwm3vsewx3xklhq9k9yrgflpgelqam7vny', imagePullSecrets: ['docker-hub'] } },
      system: { helmApps: [defineHelmApp({ name: 'stack', namespace: 'monitoring', chart: { helmRepository: 'https://charts.example.test', name: 'stack', version: '1.0.0' } })] },
    });

  it('delivers docker-hub into a namespace where only a Helm app runs', () => {
    // WHEN the needed secrets are computed
    const needed = neededSecrets(secretReferences(fleet(['stack']), fleet(['stack']).clusters[0]));
    // THEN each application namespace gets one copy, the app's named as its user
    expect(needed.map((n) => [n.namespace, n.secret])).toEqual([
      ['monitoring', 'docker-hub'],
      ['shop', 'docker-hub'],
    ]);
    expect(needed[0].references[0]).toMatchObject({ service: 'stack', field: 'secrets.imagePullSecrets', definition: 'test/clusters.ts', pullSecret: true, key: '.dockerconfigjson' });
  });

  it('delivers nothing for an app the cluster does not run', () => {
    const needed = neededSecrets(secretReferences(fleet([]), fleet([]).clusters[0]));
    expect(needed.map((n) => n.namespace)).toEqual(['shop']);
  });
});
