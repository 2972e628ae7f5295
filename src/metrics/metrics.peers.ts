import { assertOptionalPeers } from '../common/optional-peer';

assertOptionalPeers('nest-livekit/metrics', ['prom-client']);
