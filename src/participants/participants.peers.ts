import { assertOptionalPeers } from '../common/optional-peer';

assertOptionalPeers('nest-livekit/participants', ['@livekit/rtc-node']);
