import { renderString, UNKNOWN_PART } from './intrinsics';
import { TemplateModel } from './template-model';

export const VPC_ENDPOINT = 'AWS::EC2::VPCEndpoint';

/** An endpoint's ServiceName rendered (`com.amazonaws.{AWS::Region}.s3`); `unknown` when part of it cannot be read. */
export function endpointService(model: TemplateModel, serviceName: unknown): { name: string; unknown: boolean } {
  const name = renderString(model, serviceName);
  return { name, unknown: name.includes(UNKNOWN_PART) };
}
