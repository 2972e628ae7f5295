import { ForbiddenException, HttpException, HttpStatus, UnauthorizedException } from '@nestjs/common';

/** 401: no console session (never signed in, expired, or signed out). */
export class LiveKitConsoleSignInRequiredException extends UnauthorizedException {
  constructor() {
    super('sign in to the console');
  }
}

/** 401: the sign-in form's token is not the admin token. */
export class LiveKitConsoleWrongTokenException extends UnauthorizedException {
  constructor() {
    super('wrong admin token');
  }
}

/** 403: a console action without its session's CSRF token, or from a page of another origin. */
export class LiveKitConsoleCsrfException extends ForbiddenException {
  constructor(why: 'missing_csrf_token' | 'cross_origin') {
    super(
      why === 'cross_origin'
        ? 'console actions are accepted from the console page only (Origin mismatch)'
        : 'console action without its CSRF token (X-LiveKit-Console-CSRF)',
    );
  }
}

/** 429: too many failed sign-ins in the last minute. */
export class LiveKitConsoleSignInThrottledException extends HttpException {
  constructor() {
    super('too many failed sign-ins; try again in a minute', HttpStatus.TOO_MANY_REQUESTS);
  }
}
