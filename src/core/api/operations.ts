import type { Core } from '../context.js';
import {
  adminDeleteUserAttributes, adminResetUserPassword, adminUpdateUserAttributes, deleteUser, deleteUserAttributes,
  getUserAttributeVerificationCode, updateUserAttributes, verifyUserAttribute,
} from './attributes.js';
import { adminInitiateAuth, adminUserGlobalSignOut, getTokensFromRefreshToken, globalSignOut, initiateAuth, revokeToken } from './auth.js';
import { adminRespondToAuthChallenge, respondToAuthChallenge } from './challenges.js';
import {
  adminForgetDevice, adminGetDevice, adminListDevices, adminUpdateDeviceStatus, confirmDevice, forgetDevice, getDevice, listDevices,
  updateDeviceStatus,
} from './devices.js';
import { createUserPoolClient, deleteUserPoolClient, describeUserPoolClient, listUserPoolClients, updateUserPoolClient } from './clients.js';
import {
  adminAddUserToGroup, adminListGroupsForUser, adminRemoveUserFromGroup, createGroup, deleteGroup, getGroup, listGroups,
  listUsersInGroup, updateGroup,
} from './groups.js';
import type { Input } from './input.js';
import {
  createIdentityProvider, deleteIdentityProvider, describeIdentityProvider, getIdentityProviderByIdentifier, listIdentityProviders,
  updateIdentityProvider,
} from './identity-providers.js';
import { adminDisableProviderForUser, adminLinkProviderForUser } from './linking.js';
import { listSigningKeys, rotateSigningKeyOperation } from './keys.js';
import {
  createResourceServer, deleteResourceServer, describeResourceServer, listResourceServers, updateResourceServer,
} from './resource-servers.js';
import { listUsers } from './list-users.js';
import { getUserPoolMfaConfig, setUserPoolMfaConfig } from './mfa-config.js';
import {
  adminSetUserMfaPreference, adminSetUserSettings, getUserAuthFactors, setUserMfaPreference, setUserSettings,
} from './mfa-preferences.js';
import { associateSoftwareToken, verifySoftwareToken } from './software-token.js';
import { getUICustomization, setUICustomization } from './ui-customization.js';
import { createUserPool, deleteUserPool, describeUserPool, listUserPools, updateUserPool } from './pools.js';
import {
  adminConfirmSignUp, adminCreateUser, adminDeleteUser, adminGetUser, adminSetEnabled, adminSetUserPassword,
} from './users-admin.js';
import {
  changePassword, confirmForgotPassword, confirmSignUp, forgotPassword, getUser, resendConfirmationCode, signUp,
} from './users-public.js';

export type OperationHandler = (core: Core, input: Input) => Promise<unknown>;

export interface Operation {
  /** AWS signs these with SigV4 (IAM-authorized); the rest are public and take a client id or token. */
  signed: boolean;
  handler: OperationHandler;
}

const admin = (handler: OperationHandler): Operation => ({ signed: true, handler });
const open = (handler: OperationHandler): Operation => ({ signed: false, handler });

/** Every Cognito operation Cognate answers, by its X-Amz-Target name. */
export const OPERATIONS: Record<string, Operation> = {
  CreateUserPool: admin(createUserPool),
  DescribeUserPool: admin(describeUserPool),
  UpdateUserPool: admin(updateUserPool),
  ListUserPools: admin(listUserPools),
  DeleteUserPool: admin(deleteUserPool),
  CreateUserPoolClient: admin(createUserPoolClient),
  DescribeUserPoolClient: admin(describeUserPoolClient),
  UpdateUserPoolClient: admin(updateUserPoolClient),
  ListUserPoolClients: admin(listUserPoolClients),
  DeleteUserPoolClient: admin(deleteUserPoolClient),
  AdminCreateUser: admin(adminCreateUser),
  AdminGetUser: admin(adminGetUser),
  AdminDeleteUser: admin(adminDeleteUser),
  AdminEnableUser: admin((core, input) => adminSetEnabled(core, input, true)),
  AdminDisableUser: admin((core, input) => adminSetEnabled(core, input, false)),
  AdminConfirmSignUp: admin(adminConfirmSignUp),
  AdminSetUserPassword: admin(adminSetUserPassword),
  AdminInitiateAuth: admin(adminInitiateAuth),
  AdminRespondToAuthChallenge: admin(adminRespondToAuthChallenge),
  AdminUserGlobalSignOut: admin(adminUserGlobalSignOut),
  ListUsers: admin(listUsers),
  CreateGroup: admin(createGroup),
  GetGroup: admin(getGroup),
  UpdateGroup: admin(updateGroup),
  DeleteGroup: admin(deleteGroup),
  ListGroups: admin(listGroups),
  AdminAddUserToGroup: admin(adminAddUserToGroup),
  AdminRemoveUserFromGroup: admin(adminRemoveUserFromGroup),
  AdminListGroupsForUser: admin(adminListGroupsForUser),
  ListUsersInGroup: admin(listUsersInGroup),
  AdminUpdateUserAttributes: admin(adminUpdateUserAttributes),
  AdminDeleteUserAttributes: admin(adminDeleteUserAttributes),
  AdminResetUserPassword: admin(adminResetUserPassword),
  UpdateUserAttributes: open(updateUserAttributes),
  DeleteUserAttributes: open(deleteUserAttributes),
  GetUserAttributeVerificationCode: open(getUserAttributeVerificationCode),
  VerifyUserAttribute: open(verifyUserAttribute),
  DeleteUser: open(deleteUser),
  CreateResourceServer: admin(createResourceServer),
  DescribeResourceServer: admin(describeResourceServer),
  UpdateResourceServer: admin(updateResourceServer),
  ListResourceServers: admin(listResourceServers),
  DeleteResourceServer: admin(deleteResourceServer),
  GetUICustomization: admin(getUICustomization),
  SetUICustomization: admin(setUICustomization),
  SignUp: open(signUp),
  ConfirmSignUp: open(confirmSignUp),
  ResendConfirmationCode: open(resendConfirmationCode),
  InitiateAuth: open(initiateAuth),
  RespondToAuthChallenge: open(respondToAuthChallenge),
  GetTokensFromRefreshToken: open(getTokensFromRefreshToken),
  RevokeToken: open(revokeToken),
  GlobalSignOut: open(globalSignOut),
  ForgotPassword: open(forgotPassword),
  ConfirmForgotPassword: open(confirmForgotPassword),
  ChangePassword: open(changePassword),
  GetUser: open(getUser),
  SetUserPoolMfaConfig: admin(setUserPoolMfaConfig),
  GetUserPoolMfaConfig: admin(getUserPoolMfaConfig),
  AdminSetUserMFAPreference: admin(adminSetUserMfaPreference),
  AdminSetUserSettings: admin(adminSetUserSettings),
  AssociateSoftwareToken: open(associateSoftwareToken),
  VerifySoftwareToken: open(verifySoftwareToken),
  SetUserMFAPreference: open(setUserMfaPreference),
  SetUserSettings: open(setUserSettings),
  GetUserAuthFactors: open(getUserAuthFactors),
  ConfirmDevice: open(confirmDevice),
  GetDevice: open(getDevice),
  ListDevices: open(listDevices),
  ForgetDevice: open(forgetDevice),
  UpdateDeviceStatus: open(updateDeviceStatus),
  AdminGetDevice: admin(adminGetDevice),
  AdminListDevices: admin(adminListDevices),
  AdminForgetDevice: admin(adminForgetDevice),
  AdminUpdateDeviceStatus: admin(adminUpdateDeviceStatus),
  CreateIdentityProvider: admin(createIdentityProvider),
  DescribeIdentityProvider: admin(describeIdentityProvider),
  UpdateIdentityProvider: admin(updateIdentityProvider),
  DeleteIdentityProvider: admin(deleteIdentityProvider),
  ListIdentityProviders: admin(listIdentityProviders),
  GetIdentityProviderByIdentifier: admin(getIdentityProviderByIdentifier),
  AdminLinkProviderForUser: admin(adminLinkProviderForUser),
  AdminDisableProviderForUser: admin(adminDisableProviderForUser),
};

/**
 * Operations beyond Cognito's API, under the target prefix `CognateAdmin.`; all signed.
 * The AWS SDK cannot name them, so clients send them as signed raw requests.
 */
export const EXTENSION_OPERATIONS: Record<string, Operation> = {
  ListSigningKeys: admin(listSigningKeys),
  RotateSigningKey: admin(rotateSigningKeyOperation),
};
