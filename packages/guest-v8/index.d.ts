export declare const guestV8AddonPath: string;
export declare function requireGuestV8Addon(): string;
