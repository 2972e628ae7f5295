import { assertOptionalPeers } from '../common/optional-peer';

assertOptionalPeers('nest-livekit/queue', ['bullmq', 'ioredis']);
