import { Module } from '@nestjs/common';
import { EventLogListener } from './event-log.listener';

@Module({ providers: [EventLogListener] })
export class EventLogModule {}
