import { BadRequestException, type PipeTransform } from '@nestjs/common';
import { AGENT_DISPATCH_ID_PATTERN } from './livekit-agent-dispatch.constants';

/** A `:dispatchId` path parameter must look like a LiveKit dispatch id. */
export class ParseAgentDispatchIdPipe implements PipeTransform<string, string> {
  transform(value: string): string {
    if (!AGENT_DISPATCH_ID_PATTERN.test(value)) {
      throw new BadRequestException(`dispatchId must be a LiveKit agent dispatch id (AD_…), got ${JSON.stringify(value)}`);
    }
    return value;
  }
}
