// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/**
 * @title InvariantTest
 * @notice What forge reads from an invariant test contract to aim its fuzzer, without forge-std: the contracts it
 * may call (`targetContracts`), and per contract the functions it may call (`targetSelectors`). A suite registers
 * its handler in `setUp` with {_targetHandler}; forge then calls random handler functions with random arguments
 * from random senders, `depth` calls per run, and checks every `invariant_*` function after every call.
 */
abstract contract InvariantTest {
    /// @dev Same layout as forge-std's `StdInvariant.FuzzSelector`: forge decodes it by shape.
    struct FuzzSelector {
        address addr;
        bytes4[] selectors;
    }

    address[] private _targetedContracts;
    FuzzSelector[] private _targetedSelectors;

    /// @notice Read by forge: the only contracts the fuzzer calls.
    function targetContracts() public view returns (address[] memory) {
        return _targetedContracts;
    }

    /// @notice Read by forge: the functions of each target the fuzzer calls.
    function targetSelectors() public view returns (FuzzSelector[] memory) {
        return _targetedSelectors;
    }

    /// @dev Targets `handler` with exactly `selectors` (its action functions; not its views or helpers).
    function _targetHandler(address handler, bytes4[] memory selectors) internal {
        _targetedContracts.push(handler);
        _targetedSelectors.push(FuzzSelector({addr: handler, selectors: selectors}));
    }
}
