// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

import {Owned} from "./Owned.sol";
import {ISP1TEEProverRegistry} from "./interfaces/ISP1TEEProverRegistry.sol";

/// @title SP1MultiProof
/// @notice Verifies TEE proofs: `encodedMessageBytes` is the 32-byte digest
/// sha256(vk || public_values); the prover signed keccak256(digest) with a
/// key the registry currently lists as attested. Reverts when the proof is
/// not valid (same interface as the reference contract).
contract SP1MultiProof is Owned {
    /// @dev secp256k1 order / 2: signatures with a larger s are malleable.
    uint256 internal constant HALF_N = 0x7fffffffffffffffffffffffffffffff5d576e7357a4501ddfe92f46681b20a0;

    ISP1TEEProverRegistry public teeProverRegistry;

    error Invalid_TEE_Signer(address recovered);
    error InvalidSignature();

    event TEEProverRegistrySet(address registry);

    constructor(address registry) {
        teeProverRegistry = ISP1TEEProverRegistry(registry);
        emit TEEProverRegistrySet(registry);
    }

    function setTEEProverRegistry(address registry) external onlyOwner {
        teeProverRegistry = ISP1TEEProverRegistry(registry);
        emit TEEProverRegistrySet(registry);
    }

    function verifyTEEProof(bytes memory encodedMessageBytes, bytes memory signature) public view {
        address recovered = recoverSigner(keccak256(encodedMessageBytes), signature);
        if (!teeProverRegistry.verifyAttestedProver(recovered)) {
            revert Invalid_TEE_Signer(recovered);
        }
    }

    /// @notice ecrecover with the strict rules (65 bytes r||s||v, v 27/28, low s).
    function recoverSigner(bytes32 hash, bytes memory signature) public pure returns (address) {
        if (signature.length != 65) revert InvalidSignature();
        bytes32 r;
        bytes32 s;
        uint8 v;
        assembly {
            r := mload(add(signature, 0x20))
            s := mload(add(signature, 0x40))
            v := byte(0, mload(add(signature, 0x60)))
        }
        if ((v != 27 && v != 28) || uint256(s) > HALF_N || uint256(s) == 0 || uint256(r) == 0) {
            revert InvalidSignature();
        }
        address signer = ecrecover(hash, v, r, s);
        if (signer == address(0)) revert InvalidSignature();
        return signer;
    }
}
