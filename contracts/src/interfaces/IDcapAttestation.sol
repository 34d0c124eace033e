// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

/// @notice The entry point of an Automata-style on-chain DCAP verifier
/// (AutomataDcapAttestationFee.verifyAndAttestOnChain, selector 0x38d8480a).
/// A failed verification does not revert: it returns (false, reason bytes).
interface IDcapAttestation {
    function verifyAndAttestOnChain(bytes calldata rawQuote)
        external
        payable
        returns (bool success, bytes memory output);
}
