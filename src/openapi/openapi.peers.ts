import { assertOptionalPeers } from '../common/optional-peer';

assertOptionalPeers('nest-livekit/openapi', ['@nestjs/swagger']);
