import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { mergeValues, type AttachedChart, type ChartContext, type RawObject } from '../../model/custom-chart';

/** Where a user chart is rendered: nothing for the base, or one environment on one cluster. */
export type ChartRenderTarget = Pick<ChartContext<unknown>, 'environment' | 'cluster'>;

export interface UserChartsProps {
  /** The service or app the charts belong to. */
  readonly owner: string;
  readonly system: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly charts: readonly AttachedChart<unknown>[];
  /** @default - the environment-neutral base */
  readonly target?: ChartRenderTarget;
}

/**
 * Renders a service's attached charts (`ServiceSpec.charts`): each under its own construct id,
 * with the environment's values merged over the chart's, and left out of environments that
 * set it to `false`. The objects join the service's own, so they share its base, overlay,
 * validation, policy and secrets gate.
 */
export class UserCharts extends Construct {
  constructor(scope: Construct, id: string, props: UserChartsProps) {
    super(scope, id);
    const environment = props.target?.environment;
    for (const attached of props.charts) {
      const override = environment !== undefined ? attached.environments?.[environment] : undefined;
      if (override === false) continue;
      attached.chart(new Construct(this, attached.id), {
        name: props.owner,
        system: props.system,
        environment,
        cluster: props.target?.cluster,
        values: mergeValues(attached.values, override),
        labels: props.labels,
      });
    }
  }
}

export interface RawObjectsProps {
  readonly objects: readonly RawObject[];
}

/**
 * One-off objects from the model (`objects` of an environment), rendered as they are through
 * cdk8s's ApiObject (so they are serialised and ordered like every other object).
 */
export class RawObjects extends Construct {
  constructor(scope: Construct, id: string, props: RawObjectsProps) {
    super(scope, id);
    props.objects.forEach((object, i) => {
      new ApiObject(this, `${object.kind}-${object.metadata.name}-${i}`, { ...object, metadata: { ...object.metadata } });
    });
  }
}
