import { assertOptionalPeers } from '../common/optional-peer';

assertOptionalPeers('nest-livekit/rate-limit', ['@nestjs/throttler']);
