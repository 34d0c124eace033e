// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

import {Owned} from "../Owned.sol";
import {IDcapAttestation} from "../interfaces/IDcapAttestation.sol";

/// @title MockDcapVerifier - FOR LOCAL CHAINS ONLY
/// @notice Stands in for Automata's DCAP verifier on anvil/CI. It accepts
/// ONLY the project's simulated quote (src/tdx/tdx.h: a v4 TDX quote whose
/// QE vendor id is the ASCII marker "SP1TEE-SIMULATED"), after the cheap
/// structural checks a real verifier also makes. It never accepts a real
/// Intel quote, and it refuses to be deployed on chains other than the
/// local development ids (31337 anvil/hardhat, 1337 geth dev).
/// Output layout: Automata v1.0, uint16 version BE || bytes4 0x81000000 ||
/// uint8 tcbStatus || bytes6 fmspc || body (584 bytes).
contract MockDcapVerifier is Owned, IDcapAttestation {
    bytes16 public constant SIM_MAGIC = "SP1TEE-SIMULATED";

    bool public rejectAll;
    string public rejectReason;

    event AttestationSubmitted(bool success, bytes output);

    constructor() {
        require(block.chainid == 31337 || block.chainid == 1337, "mock verifier: local chains only");
    }

    /// @notice Test switch: make every verification return (false, reason).
    function setReject(bool reject, string calldata reason) external onlyOwner {
        rejectAll = reject;
        rejectReason = reason;
    }

    function verifyAndAttestOnChain(bytes calldata rawQuote)
        external
        payable
        returns (bool success, bytes memory output)
    {
        (success, output) = check(rawQuote);
        emit AttestationSubmitted(success, output);
    }

    function check(bytes calldata q) public view returns (bool, bytes memory) {
        if (rejectAll) return (false, bytes(rejectReason));
        if (q.length < 636) return (false, "mock: quote too short");
        if (uint8(q[0]) != 4 || uint8(q[1]) != 0) return (false, "mock: not a v4 quote");
        if (uint8(q[2]) != 2 || uint8(q[3]) != 0) return (false, "mock: attestation key type");
        if (uint8(q[4]) != 0x81 || uint8(q[5]) != 0 || uint8(q[6]) != 0 || uint8(q[7]) != 0) {
            return (false, "mock: not a TDX quote");
        }
        if (bytes16(q[12:28]) != SIM_MAGIC) return (false, "mock: not a simulated quote");
        uint256 sigLen = uint256(uint8(q[632])) | (uint256(uint8(q[633])) << 8)
            | (uint256(uint8(q[634])) << 16) | (uint256(uint8(q[635])) << 24);
        if (636 + sigLen > q.length) return (false, "mock: signature data truncated");
        bytes memory out = abi.encodePacked(uint16(4), bytes4(0x81000000), uint8(0), bytes6(0), q[48:632]);
        return (true, out);
    }
}
