import { durationMs, istioRetryOn, linkerdTrafficAnnotations, trafficCarriers } from '../../src/model/traffic';

describe('where retries and timeouts go', () => {
  it.each([
    [{ mesh: 'istio', ingressController: 'istio', exposed: true }, ['istio-virtual-service']],
    [{ mesh: 'istio', ingressController: 'istio', exposed: true, flaggerProvider: 'istio' }, ['istio-canary']],
    [{ mesh: 'linkerd', ingressController: 'nginx', exposed: true }, ['linkerd-service']],
    [{ mesh: 'linkerd', ingressController: 'nginx', exposed: true, flaggerProvider: 'linkerd' }, ['linkerd-canary']],
    [{ mesh: 'none', ingressController: 'gateway-api', exposed: true }, ['http-route']],
    [{ mesh: 'linkerd', ingressController: 'gateway-api', exposed: true }, ['linkerd-service', 'http-route']],
    [{ mesh: 'none', ingressController: 'gateway-api', exposed: false }, []],
    [{ mesh: 'none', ingressController: 'gateway-api', exposed: true, flaggerProvider: 'gatewayapi' }, ['gatewayapi-canary']],
    [{ mesh: 'none', ingressController: 'traefik', exposed: true }, []],
    [{ mesh: 'none', ingressController: 'traefik', exposed: true, flaggerProvider: 'traefik' }, []],
  ] as const)('%j → %j', (placement, carriers) => {
    expect(trafficCarriers(placement)).toEqual(carriers);
  });
});

describe('mesh mappings', () => {
  it('writes Linkerd 2.16 retry and timeout annotations, status codes defaulting to the gateway errors', () => {
    expect(linkerdTrafficAnnotations({ timeout: '10s', retries: { attempts: 3, perTryTimeout: '2s' } })).toEqual({
      'retry.linkerd.io/http': '502,503,504',
      'retry.linkerd.io/limit': '3',
      'retry.linkerd.io/timeout': '2s',
      'timeout.linkerd.io/request': '10s',
    });
    expect(linkerdTrafficAnnotations({ retries: { attempts: 1, statusCodes: [500, 503] } })).toEqual({ 'retry.linkerd.io/http': '500,503', 'retry.linkerd.io/limit': '1' });
    expect(linkerdTrafficAnnotations(undefined)).toEqual({});
  });

  it("gives Istio the service's conditions, else its status codes plus connection failures", () => {
    expect(istioRetryOn({ attempts: 2 })).toBe('gateway-error,connect-failure,refused-stream');
    expect(istioRetryOn({ attempts: 2, retryOn: '5xx' })).toBe('5xx');
    expect(istioRetryOn({ attempts: 2, statusCodes: [503] })).toBe('503,connect-failure,refused-stream');
  });

  it('reads Gateway API durations and nothing else', () => {
    expect(durationMs('1h30m')).toBe(5_400_000);
    expect(durationMs('500ms')).toBe(500);
    expect(durationMs('1m5s')).toBe(65_000);
    expect(durationMs('1.5s')).toBeUndefined();
    expect(durationMs('15 seconds')).toBeUndefined();
  });
});
