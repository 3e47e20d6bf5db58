import { Construct } from 'constructs';
import type { ChartFunction, RawObject } from '../../model/custom-chart';
import { RawObjects, type ChartRenderTarget } from './attached-charts';

export interface ChartAppProps {
  /** The app's name (passed to the chart as `context.name`). */
  readonly name: string;
  readonly system: string;
  readonly labels: Readonly<Record<string, string>>;
  /** @default - no chart, only `objects` */
  readonly chart?: ChartFunction<unknown>;
  /** The values of this environment (or the base's). */
  readonly values: unknown;
  /** @default - the environment-neutral base */
  readonly target?: ChartRenderTarget;
  /** One-off objects of this environment. @default [] */
  readonly objects?: readonly RawObject[];
}

/**
 * A chart app (`SystemSpec.charts`): your chart function called with this environment's
 * values, plus the environment's one-off objects.
 */
export class ChartApp extends Construct {
  constructor(scope: Construct, id: string, props: ChartAppProps) {
    super(scope, id);
    props.chart?.(new Construct(this, 'Chart'), {
      name: props.name,
      system: props.system,
      environment: props.target?.environment,
      cluster: props.target?.cluster,
      values: props.values,
      labels: props.labels,
    });
    if (props.objects && props.objects.length > 0) new RawObjects(this, 'Objects', { objects: props.objects });
  }
}
