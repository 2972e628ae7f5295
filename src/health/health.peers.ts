import { assertOptionalPeers } from '../common/optional-peer';

assertOptionalPeers('nest-livekit/health', ['@nestjs/terminus']);
