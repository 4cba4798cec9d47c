package org.callibry.server.api;

import java.util.Optional;

/**
 * What the API needs to know of users, implemented by the module that keeps them ({@code directory}):
 * checking a password and finding an enabled user by id.
 */
public interface UserCredentials {

    /** The enabled user with this name and password, or empty (never saying which was wrong). */
    Optional<Caller> verify(String username, String password);

    /** The enabled user with this id, as it is now (role and tenant may have changed). */
    Optional<Caller> findEnabled(long userId);
}
