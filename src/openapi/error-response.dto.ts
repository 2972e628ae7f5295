import { ApiProperty } from '@nestjs/swagger';
import type { ErrorResponseBody } from '../common/error-response.filter';

/** OpenAPI schema of {@link ErrorResponseBody}, the body of every error our routes answer. */
export class ErrorResponseDto implements ErrorResponseBody {
  @ApiProperty({ example: 'roomName and participantName are required' })
  errorMessage!: string;
}
